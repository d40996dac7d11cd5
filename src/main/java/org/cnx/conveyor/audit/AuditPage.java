package org.cnx.conveyor.audit;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.common.Role;

/** The audit log page, with filters and paging back through older entries. */
@Path("/audit")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.ADMIN_NAME)
class AuditPage {

    static final int PAGE = 100;

    @CheckedTemplate(basePath = "audit")
    static class Templates {
        static native TemplateInstance audit(List<AuditEntry> entries, AuditQuery query, String older);
    }

    private final AuditLog audit;

    AuditPage(AuditLog audit) {
        this.audit = audit;
    }

    @GET
    public TemplateInstance page(@BeanParam AuditFilters filters) {
        AuditQuery query = filters.query(PAGE);
        List<AuditEntry> entries = audit.search(query);
        String older = entries.size() == query.limit() ? olderLink(query, entries.get(entries.size() - 1).id) : null;
        return Templates.audit(entries, query, older);
    }

    /** The same filters, one page further back. */
    private static String olderLink(AuditQuery query, long before) {
        StringBuilder link = new StringBuilder("/audit?before=").append(before);
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("actor", query.actor());
        filters.put("action", query.action());
        filters.put("subject", query.subject());
        filters.put("since", query.since());
        filters.put("until", query.until());
        filters.forEach((name, value) -> {
            if (value != null && !value.isBlank()) {
                link.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return link.toString();
    }
}
