package org.cnx.conveyor.audit;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.cnx.conveyor.common.Role;

/** {@code GET /api/audit}: the audit log, newest first. There is deliberately no way to change or delete entries. */
@Path("/api/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN_NAME)
class AuditResource {

    private final AuditLog audit;

    AuditResource(AuditLog audit) {
        this.audit = audit;
    }

    @GET
    public List<AuditEntry> search(@BeanParam AuditFilters filters) {
        return audit.search(filters.query(100));
    }
}
