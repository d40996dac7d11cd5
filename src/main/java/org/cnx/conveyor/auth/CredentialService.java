package org.cnx.conveyor.auth;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.cnx.conveyor.common.ConveyorConfig;

/** Checks passwords, API tokens and session ids, and turns a user into a security identity. */
@ApplicationScoped
@Transactional
public class CredentialService {

    public static final String USER_ID_ATTRIBUTE = "conveyor.user-id";

    /**
     * Set only on identities proven by the session cookie, which a browser sends by itself: the CSRF token every
     * unsafe request of that session must carry ({@link Tokens#csrfToken}).
     */
    public static final String CSRF_TOKEN_ATTRIBUTE = "conveyor.csrf-token";

    // A bcrypt hash to compare against when the user does not exist, so timing does not reveal user names. Computed
    // once ahead of time with BcryptUtil.bcryptHash's cost (10), the same as every user's hash: hashing it here would
    // cost a bcrypt round on the start-up path, as the security beans are created before the first request.
    private static final String DUMMY_HASH = "$2a$10$OtST6zhi2iFkB8ZLCwRGtORyM89w4gWPA3ACIpGUMmRvk12SAmynK";
    /** How stale a session's last-seen time and a token's last use may be: they are written at most this often. */
    private static final Duration LAST_USE_PRECISION = Duration.ofMinutes(1);

    private final ConveyorConfig config;

    CredentialService(ConveyorConfig config) {
        this.config = config;
    }

    /** A user name with one of that user's API tokens in place of a password (HTTP Basic for tools that only do Basic). */
    public Optional<SecurityIdentity> byApiTokenAsPassword(String username, String token) {
        return ApiToken.findByHash(Tokens.sha256(token))
                .filter(t -> t.user.username.equals(username))
                .map(this::touch);
    }

    /** A local user's password; users who log in by single sign-on have none. */
    public Optional<User> byLocalPassword(String username, String password) {
        Optional<User> user = User.findByUsername(username);
        String hash = user.map(u -> u.passwordHash).orElse(null);
        boolean matches = BcryptUtil.matches(password, hash == null ? DUMMY_HASH : hash);
        return matches && hash != null ? user : Optional.empty();
    }

    public Optional<SecurityIdentity> byToken(String token) {
        return ApiToken.findByHash(Tokens.sha256(token)).map(this::touch);
    }

    public Optional<SecurityIdentity> bySession(String sessionId) {
        Instant idleLimit = Instant.now().minus(config.session().idleTimeout());
        return WebSession.findByHash(Tokens.sha256(sessionId))
                .filter(session -> session.lastSeenAt.isAfter(idleLimit))
                .map(session -> {
                    // Only write when it matters, so page views do not each cost an UPDATE.
                    if (session.lastSeenAt.isBefore(Instant.now().minus(LAST_USE_PRECISION))) {
                        session.lastSeenAt = Instant.now();
                    }
                    return QuarkusSecurityIdentity.builder(identity(session.user))
                            .addAttribute(CSRF_TOKEN_ATTRIBUTE, Tokens.csrfToken(sessionId))
                            .build();
                });
    }

    private SecurityIdentity touch(ApiToken token) {
        // At most once a minute, as for sessions: a client publishing events does not pay an UPDATE per request.
        if (token.lastUsedAt == null || token.lastUsedAt.isBefore(Instant.now().minus(LAST_USE_PRECISION))) {
            token.lastUsedAt = Instant.now();
        }
        return identity(token.user);
    }

    static SecurityIdentity identity(User user) {
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(user.username))
                .addAttribute(USER_ID_ATTRIBUTE, user.id);
        user.effectiveRoles().forEach(role -> builder.addRole(role.id()));
        return builder.build();
    }
}
