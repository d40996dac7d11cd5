package org.cnx.conveyor.promote;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.cnx.conveyor.common.Role;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.promote.PromotionViews.PromotionRequest;
import org.cnx.conveyor.promote.PromotionViews.PromotionReview;
import org.cnx.conveyor.promote.PromotionViews.PromotionTarget;
import org.cnx.conveyor.promote.PromotionViews.PromotionView;
import org.cnx.conveyor.release.ReleaseService;
import org.cnx.conveyor.release.ReleaseViews.ReleaseView;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Pages: the promote form of a release, the list of promotions, a promotion's approval page, a lead's queue. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
class PromotionPages {

    @CheckedTemplate(basePath = "promote")
    static class Templates {
        static native TemplateInstance promote(
                ReleaseView release, List<PromotionTarget> targets, boolean anyEligible, List<String> stages);

        static native TemplateInstance list(List<PromotionView> promotions, String state, List<String> states);

        static native TemplateInstance detail(
                PromotionReview review, boolean mayApprove, boolean mayCancel, String notice);

        static native TemplateInstance queue(List<PromotionView> promotions);
    }

    private final PromotionService promotions;
    private final ReleaseService releases;
    private final EnvironmentService environments;
    private final Pipeline pipeline;
    private final PromotionConfig config;
    private final SecurityIdentity identity;

    PromotionPages(
            PromotionService promotions,
            ReleaseService releases,
            EnvironmentService environments,
            Pipeline pipeline,
            PromotionConfig config,
            SecurityIdentity identity) {
        this.promotions = promotions;
        this.releases = releases;
        this.environments = environments;
        this.pipeline = pipeline;
        this.config = config;
        this.identity = identity;
    }

    @GET
    @Path("releases/{id}/promote")
    @RolesAllowed(Role.DEVELOPER_NAME)
    public TemplateInstance promoteForm(@RestPath long id) {
        List<PromotionTarget> targets = promotions.targets(id);
        return Templates.promote(
                releases.get(id), targets, targets.stream().anyMatch(PromotionTarget::eligible), pipeline.stages());
    }

    @POST
    @Path("releases/{id}/promote")
    @RolesAllowed(Role.DEVELOPER_NAME)
    public Response promote(
            @RestPath long id,
            @RestForm String environment,
            @RestForm String note,
            @RestForm boolean allowIrreversible) {
        PromotionView created =
                promotions.request(new PromotionRequest(id, environment, note, allowIrreversible), me());
        return toPromotion(created.id(), null);
    }

    @GET
    @Path("promotions")
    public TemplateInstance list(@RestQuery String state) {
        List<String> states =
                Arrays.stream(PromotionState.values()).map(PromotionState::id).toList();
        return Templates.list(promotions.list(state, 200), state == null ? "" : state, states);
    }

    @GET
    @Path("promotions/{id}")
    public TemplateInstance detail(@RestPath long id, @RestQuery String notice) {
        PromotionReview review = promotions.review(id);
        PromotionView p = review.promotion();
        boolean mine = p.requestedBy().equals(me());
        boolean mayApprove = p.pending() && identity.hasRole(Role.LEAD_NAME) && (!mine || config.allowSelfApproval());
        boolean mayCancel = p.pending() && (mine || identity.hasRole(Role.ADMIN_NAME));
        return Templates.detail(review, mayApprove, mayCancel, notice);
    }

    @GET
    @Path("approvals")
    @RolesAllowed(Role.LEAD_NAME)
    public TemplateInstance queue() {
        return Templates.queue(promotions.waitingFor(me()));
    }

    @POST
    @Path("promotions/{id}/approve")
    @RolesAllowed(Role.LEAD_NAME)
    public Response approve(@RestPath long id) {
        PromotionView p = promotions.approve(id, me());
        return toPromotion(id, p.job() != null ? "Approved: the deploy started" : "Approved");
    }

    @POST
    @Path("promotions/{id}/reject")
    @RolesAllowed(Role.LEAD_NAME)
    public Response reject(@RestPath long id, @RestForm String reason) {
        promotions.reject(id, me(), reason);
        return toPromotion(id, "Rejected");
    }

    @POST
    @Path("promotions/{id}/cancel")
    @RolesAllowed(Role.DEVELOPER_NAME)
    public Response cancel(@RestPath long id) {
        promotions.cancel(id, me(), identity.hasRole(Role.ADMIN_NAME));
        return toPromotion(id, "Cancelled");
    }

    private static Response toPromotion(long id, String notice) {
        String query = notice == null ? "" : "?notice=" + URLEncoder.encode(notice, StandardCharsets.UTF_8);
        return Response.seeOther(URI.create("/promotions/" + id + query)).build();
    }

    private String me() {
        return identity.getPrincipal().getName();
    }
}
