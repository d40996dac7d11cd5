package org.cnx.conveyor.notify;

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
import org.cnx.conveyor.events.SubscriptionViews.PingResult;
import org.cnx.conveyor.notify.ChannelViews.ChannelView;
import org.cnx.conveyor.notify.ChannelViews.NewChannel;
import org.jboss.resteasy.reactive.RestQuery;

/** {@code /api/channels}: chat channels (Slack, Matrix) and their delivery log, for admins. */
@Path("/api/channels")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN_NAME)
class ChannelResource {

    private final ChannelService channels;
    private final SecurityIdentity identity;

    ChannelResource(ChannelService channels, SecurityIdentity identity) {
        this.channels = channels;
        this.identity = identity;
    }

    @GET
    public List<ChannelView> list() {
        return channels.list();
    }

    @POST
    public Response create(NewChannel request) {
        ChannelView created = channels.create(request, identity.getPrincipal().getName());
        return Response.created(URI.create("/api/channels/" + created.id()))
                .entity(created)
                .build();
    }

    @GET
    @Path("{id}")
    public ChannelView get(long id) {
        return channels.get(id);
    }

    @DELETE
    @Path("{id}")
    public Response delete(long id) {
        channels.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/pause")
    public ChannelView pause(long id) {
        return channels.pause(id);
    }

    @POST
    @Path("{id}/resume")
    public ChannelView resume(long id) {
        return channels.resume(id);
    }

    @POST
    @Path("{id}/test")
    public PingResult test(long id) {
        return channels.test(id);
    }

    @GET
    @Path("{id}/deliveries")
    public List<DeliveryView> deliveries(long id, @RestQuery String status, @RestQuery Integer limit) {
        return channels.deliveries(id, status, limit == null ? 100 : limit);
    }

    @POST
    @Path("{id}/deliveries/{delivery}/redeliver")
    public Response redeliver(long id, long delivery) {
        return Response.accepted(channels.redeliver(id, delivery)).build();
    }
}
