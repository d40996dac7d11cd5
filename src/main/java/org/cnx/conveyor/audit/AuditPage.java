package org.cnx.conveyor.audit;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.cnx.conveyor.auth.Role;

/** The audit log page, with filters and paging back through older entries. */
@Path("/audit")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.ADMIN_NAME)
class AuditPage {

    static final int PAGE = 100;

    @CheckedTemplate(basePath = "audit")
    static class Templates {
        static native TemplateInstance audit(List<AuditEntry> entries, AuditQuery query, Long older);
    }

    private final AuditLog audit;

    AuditPage(AuditLog audit) {
        this.audit = audit;
    }

    @GET
    public TemplateInstance page(@BeanParam AuditFilters filters) {
        AuditQuery query = filters.query(PAGE);
        List<AuditEntry> entries = audit.search(query);
        Long older = entries.size() == query.limit() ? entries.get(entries.size() - 1).id : null;
        return Templates.audit(entries, query, older);
    }
}
