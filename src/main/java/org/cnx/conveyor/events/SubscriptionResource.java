package org.cnx.conveyor.events;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.cnx.conveyor.common.Role;
import org.cnx.conveyor.events.SubscriptionViews.DeliveryView;
import org.cnx.conveyor.events.SubscriptionViews.NewSubscription;
import org.cnx.conveyor.events.SubscriptionViews.PingResult;
import org.cnx.conveyor.events.SubscriptionViews.SubscriptionView;
import org.jboss.resteasy.reactive.RestQuery;

/** {@code /api/subscriptions}: webhook subscriptions and their delivery log, for admins. */
@Path("/api/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN_NAME)
class SubscriptionResource {

    private final SubscriptionService subscriptions;
    private final SecurityIdentity identity;

    SubscriptionResource(SubscriptionService subscriptions, SecurityIdentity identity) {
        this.subscriptions = subscriptions;
        this.identity = identity;
    }

    @GET
    public List<SubscriptionView> list() {
        return subscriptions.list();
    }

    @POST
    public Response create(NewSubscription request) {
        SubscriptionView created =
                subscriptions.create(request, identity.getPrincipal().getName());
        return Response.created(URI.create("/api/subscriptions/" + created.id()))
                .entity(created)
                .build();
    }

    @GET
    @Path("{id}")
    public SubscriptionView get(long id) {
        return subscriptions.get(id);
    }

    @DELETE
    @Path("{id}")
    public Response delete(long id) {
        subscriptions.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/pause")
    public SubscriptionView pause(long id) {
        return subscriptions.pause(id);
    }

    @POST
    @Path("{id}/resume")
    public SubscriptionView resume(long id) {
        return subscriptions.resume(id);
    }

    @POST
    @Path("{id}/ping")
    public PingResult ping(long id) {
        return subscriptions.ping(id);
    }

    @GET
    @Path("{id}/deliveries")
    public List<DeliveryView> deliveries(long id, @RestQuery String status, @RestQuery Integer limit) {
        return subscriptions.deliveries(id, status, limit == null ? 100 : limit);
    }

    @POST
    @Path("{id}/deliveries/{delivery}/redeliver")
    public Response redeliver(long id, long delivery) {
        return Response.accepted(subscriptions.redeliver(id, delivery)).build();
    }
}
