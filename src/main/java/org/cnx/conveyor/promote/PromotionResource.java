package org.cnx.conveyor.promote;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.cnx.conveyor.common.Role;
import org.cnx.conveyor.promote.PromotionViews.PromotionRequest;
import org.cnx.conveyor.promote.PromotionViews.PromotionReview;
import org.cnx.conveyor.promote.PromotionViews.PromotionView;
import org.cnx.conveyor.promote.PromotionViews.Rejection;
import org.jboss.resteasy.reactive.RestPath;

/** Promotions API: request, list, review, approve, reject, cancel. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
class PromotionResource {

    private final PromotionService promotions;
    private final SecurityIdentity identity;

    PromotionResource(PromotionService promotions, SecurityIdentity identity) {
        this.promotions = promotions;
        this.identity = identity;
    }

    @POST
    @Path("promotions")
    @RolesAllowed(Role.DEVELOPER_NAME)
    public Response request(PromotionRequest request) {
        PromotionView created = promotions.request(request, me());
        return Response.created(URI.create("/api/promotions/" + created.id()))
                .entity(created)
                .build();
    }

    @GET
    @Path("promotions")
    public List<PromotionView> list(
            @QueryParam("state") String state, @QueryParam("limit") @DefaultValue("100") int limit) {
        return promotions.list(state, Math.min(limit, 500));
    }

    /** The approvals queue: waiting promotions the caller may approve. */
    @GET
    @Path("promotions/waiting")
    @RolesAllowed(Role.LEAD_NAME)
    public List<PromotionView> waiting() {
        return promotions.waitingFor(me());
    }

    @GET
    @Path("promotions/{id}")
    public PromotionReview get(@RestPath long id) {
        return promotions.review(id);
    }

    @POST
    @Path("promotions/{id}/approve")
    @RolesAllowed(Role.LEAD_NAME)
    public PromotionView approve(@RestPath long id) {
        return promotions.approve(id, me());
    }

    @POST
    @Path("promotions/{id}/reject")
    @RolesAllowed(Role.LEAD_NAME)
    public PromotionView reject(@RestPath long id, Rejection rejection) {
        return promotions.reject(id, me(), rejection == null ? null : rejection.reason());
    }

    @POST
    @Path("promotions/{id}/cancel")
    @RolesAllowed(Role.DEVELOPER_NAME)
    public PromotionView cancel(@RestPath long id) {
        return promotions.cancel(id, me(), identity.hasRole(Role.ADMIN_NAME));
    }

    private String me() {
        return identity.getPrincipal().getName();
    }
}
