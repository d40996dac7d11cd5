package org.cnx.conveyor.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.common.Subjects;

/**
 * Checks a local user's password on the login form or over HTTP Basic: refused while the name or address is
 * throttled or while password login is switched off, counted when wrong, and written to the audit log.
 */
@ApplicationScoped
@Transactional
public class PasswordLogin {

    /** Where the password was typed; form logins are audited when they succeed, Basic calls only when they fail. */
    public enum Channel {
        FORM,
        BASIC
    }

    private final CredentialService credentials;
    private final LoginThrottle throttle;
    private final AuthConfig config;
    private final AuditLog audit;

    PasswordLogin(CredentialService credentials, LoginThrottle throttle, AuthConfig config, AuditLog audit) {
        this.credentials = credentials;
        this.throttle = throttle;
        this.config = config;
        this.audit = audit;
    }

    public LoginOutcome attempt(String username, String password, String address, Channel channel) {
        if (username == null || username.isBlank() || password == null) {
            return LoginOutcome.failed();
        }
        String name = username.length() > 64 ? username.substring(0, 64) : username;
        String via = channel.name().toLowerCase(Locale.ROOT);
        if (!config.localLogin()) {
            audit.record(
                    name, address, "login.failed", Subjects.user(name), "password login is switched off (" + via + ")");
            return LoginOutcome.localLoginOff();
        }
        Optional<Duration> locked = throttle.lockedFor(name, address);
        if (locked.isPresent()) {
            audit.record(name, address, "login.throttled", Subjects.user(name), "refused while locked (" + via + ")");
            return LoginOutcome.throttled(locked.get());
        }
        Optional<User> user = credentials.byLocalPassword(name, password);
        if (user.isEmpty()) {
            throttle.failed(name, address);
            audit.record(
                    name, address, "login.failed", Subjects.user(name), "wrong user name or password (" + via + ")");
            Optional<Duration> nowLocked = throttle.lockedFor(name, address);
            if (nowLocked.isPresent()) {
                audit.record(
                        name,
                        address,
                        "login.throttled",
                        Subjects.user(name),
                        "locked after repeated failed logins (" + via + ")");
                return LoginOutcome.throttled(nowLocked.get());
            }
            return LoginOutcome.failed();
        }
        throttle.succeeded(name);
        if (channel == Channel.FORM) {
            audit.record(name, address, "login.succeeded", Subjects.user(name), "password (form)");
        }
        return LoginOutcome.succeeded(user.get());
    }
}
