package org.cnx.conveyor.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;

/** Appends to the audit log inside the caller's transaction, so an entry exists exactly when its change does. */
@ApplicationScoped
public class AuditLog {

    /** Records an action; {@code address} is the client's address, null for work Conveyor does on its own. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String actor, String address, String action, String subject, String detail) {
        AuditEntry entry = new AuditEntry();
        entry.actor = actor;
        entry.address = address;
        entry.action = action;
        entry.subject = subject;
        entry.detail = detail;
        entry.persist();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AuditEntry> about(String subject, int limit) {
        return AuditEntry.about(subject, limit);
    }
}
