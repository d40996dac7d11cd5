package org.cnx.conveyor.auth;

import jakarta.enterprise.context.ApplicationScoped;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.common.Subjects;

/** Audits changes to users and tokens in the name of the caller of the current request, or of Conveyor itself. */
@ApplicationScoped
class AccountAudit {

    private final AuditLog log;

    AccountAudit(AuditLog log) {
        this.log = log;
    }

    /** Records an action on a user within the caller's transaction; never pass a password or a token as detail. */
    void byCaller(String action, User user, String detail) {
        log.record(action, Subjects.user(user.username), detail);
    }
}
