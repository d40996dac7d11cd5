package org.cnx.conveyor.auth;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Optional;

/** Starts and ends browser logins. */
@ApplicationScoped
@Transactional
public class SessionService {

    private final CredentialService credentials;

    SessionService(CredentialService credentials) {
        this.credentials = credentials;
    }

    /** Checks the password and returns a new session id, or empty when the login is refused. */
    public Optional<String> login(String username, String password, String address) {
        if (username == null || password == null || password.startsWith(Tokens.API_TOKEN_PREFIX)) {
            return Optional.empty();
        }
        Optional<SecurityIdentity> identity = credentials.byPassword(username, password);
        if (identity.isEmpty()) {
            return Optional.empty();
        }
        String sessionId = Tokens.randomSessionId();
        WebSession session = new WebSession();
        session.tokenHash = Tokens.sha256(sessionId);
        session.user = User.findByUsername(username).orElseThrow();
        session.address = address;
        session.persist();
        return Optional.of(sessionId);
    }

    public void logout(String sessionId) {
        WebSession.delete("tokenHash", Tokens.sha256(sessionId));
    }
}
