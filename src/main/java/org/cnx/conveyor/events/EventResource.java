package org.cnx.conveyor.events;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.cnx.conveyor.common.DomainException.NotFound;
import org.cnx.conveyor.common.Role;
import org.cnx.conveyor.events.EventViews.EventView;
import org.cnx.conveyor.events.EventViews.Published;
import org.jboss.resteasy.reactive.RestQuery;

/** {@code /api/events}: cnx services publish their events here; anyone may read the retained outbox. */
@Path("/api/events")
@Produces(MediaType.APPLICATION_JSON)
class EventResource {

    private final ServiceEvents serviceEvents;
    private final SecurityIdentity identity;

    EventResource(ServiceEvents serviceEvents, SecurityIdentity identity) {
        this.serviceEvents = serviceEvents;
        this.identity = identity;
    }

    @POST
    @RolesAllowed(Role.SERVICE_NAME)
    @Consumes(MediaType.WILDCARD)
    public Response publish(byte[] body) {
        EventPublisher.Stored stored =
                serviceEvents.publish(identity.getPrincipal().getName(), body);
        Published published = new Published(stored.seq(), stored.id(), stored.duplicate());
        return stored.duplicate()
                ? Response.ok(published).build()
                : Response.created(URI.create("/api/events/" + stored.seq()))
                        .entity(published)
                        .build();
    }

    /** A batch of service events (a JSON array, CloudEvents batched mode), stored all or none in one transaction. */
    @POST
    @Path("batch")
    @RolesAllowed(Role.SERVICE_NAME)
    @Consumes(MediaType.WILDCARD)
    public List<Published> publishBatch(byte[] body) {
        return serviceEvents.publishBatch(identity.getPrincipal().getName(), body).stream()
                .map(stored -> new Published(stored.seq(), stored.id(), stored.duplicate()))
                .toList();
    }

    /** Retained events after a seq, oldest first, optionally filtered like the stream. */
    @GET
    @RolesAllowed({Role.REVIEWER_NAME, Role.SERVICE_NAME})
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<EventView> list(
            @RestQuery Long after, @RestQuery String type, @RestQuery String environment, @RestQuery Integer limit) {
        EventFilter filter = EventFilter.parse(type, environment);
        int max = limit == null ? 100 : Math.max(1, Math.min(limit, 1000));
        return EventQueries.matching(after == null ? 0 : after, filter, max).stream()
                .map(EventView::of)
                .toList();
    }

    @GET
    @Path("{seq}")
    @RolesAllowed({Role.REVIEWER_NAME, Role.SERVICE_NAME})
    @Transactional(Transactional.TxType.SUPPORTS)
    public EventView get(long seq) {
        return StoredEvent.<StoredEvent>findByIdOptional(seq)
                .map(EventView::of)
                .orElseThrow(() -> new NotFound("no event " + seq + " (it may be past its retention)"));
    }
}
