package org.cnx.conveyor.audit;

import io.quarkus.arc.Arc;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.transaction.Transactional;
import java.util.List;
import org.cnx.conveyor.web.ClientAddress;

/** Appends to the audit log inside the caller's transaction, so an entry exists exactly when its change does. */
@ApplicationScoped
public class AuditLog {

    /** The actor of work Conveyor does on its own (sweepers, recovery after a restart). */
    public static final String CONVEYOR = "conveyor";

    private final Instance<CurrentVertxRequest> request;
    private final Instance<SecurityIdentity> identity;

    AuditLog(Instance<CurrentVertxRequest> request, Instance<SecurityIdentity> identity) {
        this.request = request;
        this.identity = identity;
    }

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

    /** Records an action by {@code actor}, from the address of the HTTP request being served, if any. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String actor, String action, String subject, String detail) {
        record(actor, currentAddress(), action, subject, detail);
    }

    /** Records an action by the logged-in caller of the HTTP request being served ({@code conveyor} outside one). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String action, String subject, String detail) {
        record(currentActor(), currentAddress(), action, subject, detail);
    }

    /** Entries matching the query, newest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AuditEntry> search(AuditQuery query) {
        return query.run();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AuditEntry> about(String subject, int limit) {
        return AuditEntry.about(subject, limit);
    }

    private String currentActor() {
        if (!inRequest()) {
            return CONVEYOR;
        }
        SecurityIdentity caller = identity.get();
        return caller.isAnonymous() ? "anonymous" : caller.getPrincipal().getName();
    }

    private String currentAddress() {
        if (!inRequest()) {
            return null;
        }
        RoutingContext current = request.get().getCurrent();
        return current == null ? null : ClientAddress.of(current.request());
    }

    private static boolean inRequest() {
        return Arc.container().requestContext().isActive();
    }
}
