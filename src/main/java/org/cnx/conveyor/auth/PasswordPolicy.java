package org.cnx.conveyor.auth;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Set;
import org.cnx.conveyor.common.DomainException.Invalid;

/** The rules a new local password must follow; a refusal names the rule it broke. */
@ApplicationScoped
public class PasswordPolicy {

    /** Passwords long enough to pass the length rule but among the first tried by anyone guessing. */
    private static final Set<String> COMMON = Set.of(
            "0123456789",
            "1234567890",
            "12345678910",
            "123456789a",
            "1q2w3e4r5t",
            "1qaz2wsx3edc",
            "abc1234567",
            "abcdefghij",
            "administrator",
            "changeme123",
            "iloveyou123",
            "letmein123",
            "passw0rd123",
            "password",
            "password01",
            "password12",
            "password123",
            "password1234",
            "password!",
            "qwerty1234",
            "qwerty12345",
            "qwerty123456",
            "qwertyuiop",
            "qwertyuiop123",
            "trustno1234",
            "welcome123",
            "welcome1234",
            "zaq12wsxcde");

    private final AuthConfig.Password config;

    PasswordPolicy(AuthConfig config) {
        this.config = config.password();
    }

    /** Refuses a password that breaks a rule, with a 400 naming the rule. */
    public void check(String username, String password) {
        if (password == null || password.length() < config.minLength()) {
            throw refuse("expected at least " + config.minLength() + " characters");
        }
        if (password.length() > config.maxLength()) {
            throw refuse("expected at most " + config.maxLength() + " characters");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (username != null && !username.isEmpty() && lower.contains(username.toLowerCase(Locale.ROOT))) {
            throw refuse("must not contain the user name");
        }
        if (COMMON.contains(lower) || password.chars().distinct().count() == 1) {
            throw refuse("too common; choose one that is not on lists of frequently used passwords");
        }
    }

    private static Invalid refuse(String rule) {
        return new Invalid("password: " + rule);
    }
}
