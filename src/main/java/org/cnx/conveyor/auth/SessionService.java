package org.cnx.conveyor.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.common.Subjects;

/** Starts and ends browser logins. */
@ApplicationScoped
@Transactional
public class SessionService {

    private final AuditLog audit;

    SessionService(AuditLog audit) {
        this.audit = audit;
    }

    /** Starts a browser login for a user whose password or single sign-on was already checked; returns the session id. */
    public String start(User user, String address) {
        String sessionId = Tokens.randomSessionId();
        WebSession session = new WebSession();
        session.tokenHash = Tokens.sha256(sessionId);
        session.user = User.<User>findByIdOptional(user.id).orElseThrow();
        session.address = address;
        session.persist();
        return sessionId;
    }

    public void logout(String sessionId, String address) {
        WebSession.findByHash(Tokens.sha256(sessionId)).ifPresent(session -> {
            audit.record(session.user.username, address, "logout", Subjects.user(session.user.username), null);
            session.delete();
        });
    }
}
