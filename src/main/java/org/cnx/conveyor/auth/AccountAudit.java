package org.cnx.conveyor.auth;

import io.quarkus.arc.Arc;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.web.ClientAddress;

/** Audits changes to users and tokens in the name of the caller of the current request, or of Conveyor itself. */
@ApplicationScoped
class AccountAudit {

    /** The actor of changes Conveyor makes on its own, such as creating the first admin at start-up. */
    static final String SYSTEM = "conveyor";

    private final AuditLog log;
    private final Instance<SecurityIdentity> identity;
    private final Instance<CurrentVertxRequest> request;

    AccountAudit(AuditLog log, Instance<SecurityIdentity> identity, Instance<CurrentVertxRequest> request) {
        this.log = log;
        this.identity = identity;
        this.request = request;
    }

    /** Records an action on a user within the caller's transaction; never pass a password or a token as detail. */
    void byCaller(String action, User user, String detail) {
        boolean inRequest = Arc.container().requestContext().isActive();
        SecurityIdentity caller = inRequest ? identity.get() : null;
        String actor = caller == null || caller.isAnonymous() ? SYSTEM : caller.getPrincipal().getName();
        RoutingContext http = inRequest ? request.get().getCurrent() : null;
        log.record(actor, http == null ? null : ClientAddress.of(http.request()), action, "user:" + user.username, detail);
    }
}
