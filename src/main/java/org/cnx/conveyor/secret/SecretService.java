package org.cnx.conveyor.secret;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.common.DomainException.Invalid;
import org.cnx.conveyor.common.DomainException.NotFound;
import org.cnx.conveyor.common.Subjects;
import org.cnx.conveyor.environment.definition.SecretReferences;

/** Stores secrets encrypted and lists their names; values leave only through {@link #reveal}, for the deploy engine. */
@ApplicationScoped
@Transactional
public class SecretService {

    /** Same pattern as a {@code ${secret:NAME}} reference in a definition. */
    public static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,62}$");

    static final int MAX_VALUE_LENGTH = 64 * 1024;

    /** What anyone may see of a secret: its name and when it changed. */
    public record SecretView(String name, Instant updatedAt, String updatedBy) {}

    private final SecretCipher cipher;

    private final AuditLog audit;

    SecretService(SecretCipher cipher, AuditLog audit) {
        this.cipher = cipher;
        this.audit = audit;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<SecretView> list() {
        return Secret.<Secret>list("order by name").stream()
                .map(s -> new SecretView(s.name, s.updatedAt, s.updatedBy))
                .toList();
    }

    /** Creates or replaces a secret; returns true when it was new. */
    public boolean put(String name, String value, String by) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new Invalid(
                    "name: expected 1-63 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
        }
        if (value == null || value.isEmpty()) {
            throw new Invalid("value: expected a non-empty value");
        }
        if (value.length() > MAX_VALUE_LENGTH) {
            throw new Invalid("value: expected at most " + MAX_VALUE_LENGTH + " characters");
        }
        SecretCipher.Sealed sealed = cipher.seal(name, value);
        Optional<Secret> existing = Secret.findByName(name);
        Secret secret = existing.orElseGet(Secret::new);
        secret.name = name;
        secret.nonce = sealed.nonce();
        secret.ciphertext = sealed.ciphertext();
        secret.updatedAt = Instant.now();
        secret.updatedBy = by;
        if (existing.isEmpty()) {
            secret.persist();
        }
        // The value never reaches the audit log: only that it changed.
        audit.record(by, existing.isEmpty() ? "secret.created" : "secret.changed", Subjects.secret(name), null);
        return existing.isEmpty();
    }

    public void delete(String name) {
        if (!Secret.deleteById(name)) {
            throw new NotFound("no secret named \"" + name + "\"");
        }
        audit.record("secret.deleted", Subjects.secret(name), null);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean exists(String name) {
        return Secret.findByName(name).isPresent();
    }

    /** The plain value, for the deploy engine only: never return it from a resource or render it in a page. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<String> reveal(String name) {
        return Secret.findByName(name).map(s -> cipher.open(s.name, new SecretCipher.Sealed(s.nonce, s.ciphertext)));
    }

    /** Replaces every {@code ${secret:NAME}} in a value by the secret's plain value (missing ones by nothing). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public String resolveReferences(String value) {
        String resolved = value;
        for (String name : SecretReferences.namesIn(value)) {
            resolved = resolved.replace("${secret:" + name + "}", reveal(name).orElse(""));
        }
        return resolved;
    }
}
