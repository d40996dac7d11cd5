package org.cnx.conveyor.notify;

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
import org.cnx.conveyor.common.DomainException.Invalid;
import org.cnx.conveyor.common.Role;
import org.cnx.conveyor.events.SubscriptionViews.DeliveryView;
import org.cnx.conveyor.events.SubscriptionViews.PingResult;
import org.cnx.conveyor.notify.ChannelViews.ChannelView;
import org.cnx.conveyor.notify.ChannelViews.NewChannel;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** The chat channels pages: the list with a form to add one (a refused form comes back filled in), and each channel. */
@Path("/channels")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.ADMIN_NAME)
class ChannelPages {

    /** What the add form holds, to show it again after a refusal (never the token). */
    public record Form(
            String kind,
            String name,
            String url,
            String room,
            List<String> events,
            String environments,
            String stages) {
        static final Form EMPTY = new Form("slack", "", "", "", List.of(), "", "");

        public boolean wants(String type) {
            return events.contains(type);
        }
    }

    @CheckedTemplate(basePath = "notify")
    static class Templates {
        static native TemplateInstance channels(
                List<ChannelView> channels, List<ChatEvent> catalogue, Form form, String notice, String error);

        static native TemplateInstance channel(ChannelView channel, List<DeliveryView> deliveries, String notice);
    }

    private final ChannelService channels;
    private final SecurityIdentity identity;

    ChannelPages(ChannelService channels, SecurityIdentity identity) {
        this.channels = channels;
        this.identity = identity;
    }

    @GET
    public TemplateInstance list(@RestQuery String notice) {
        return Templates.channels(channels.list(), List.of(ChatEvent.values()), Form.EMPTY, notice, null);
    }

    @POST
    public Object create(
            @RestForm String kind,
            @RestForm String name,
            @RestForm String url,
            @RestForm String room,
            @RestForm String token,
            @RestForm List<String> events,
            @RestForm String environments,
            @RestForm String stages) {
        List<String> chosen = events == null ? List.of() : events;
        try {
            ChannelView created = channels.create(
                    new NewChannel(kind, name, url, room, token, chosen, words(environments), words(stages)),
                    identity.getPrincipal().getName());
            return redirect(created.id(), "Channel created");
        } catch (Invalid e) {
            Form form = new Form(kind, name, url, room, chosen, environments, stages);
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(Templates.channels(
                            channels.list(), List.of(ChatEvent.values()), form, null, e.getMessage()))
                    .build();
        }
    }

    @GET
    @Path("{id}")
    public TemplateInstance detail(@RestPath long id, @RestQuery String notice) {
        return Templates.channel(channels.get(id), channels.deliveries(id, null, 200), notice);
    }

    @POST
    @Path("{id}/test")
    public Response test(@RestPath long id) {
        PingResult result = channels.test(id);
        return redirect(
                id,
                result.delivered()
                        ? "Test message posted: HTTP " + result.statusCode()
                        : "Test message failed: "
                                + (result.statusCode() != null ? "HTTP " + result.statusCode() : result.error()));
    }

    @POST
    @Path("{id}/pause")
    public Response pause(@RestPath long id) {
        channels.pause(id);
        return redirect(id, "Paused: messages wait until the channel is resumed");
    }

    @POST
    @Path("{id}/resume")
    public Response resume(@RestPath long id) {
        channels.resume(id);
        return redirect(id, "Resumed");
    }

    @POST
    @Path("{id}/delete")
    public Response delete(@RestPath long id) {
        channels.delete(id);
        return Response.seeOther(URI.create("/channels?notice=Channel+deleted")).build();
    }

    @POST
    @Path("{id}/deliveries/{delivery}/redeliver")
    public Response redeliver(@RestPath long id, @RestPath long delivery) {
        channels.redeliver(id, delivery);
        return redirect(id, "Message " + delivery + " queued again");
    }

    private static Response redirect(long id, String notice) {
        return Response.seeOther(
                        URI.create("/channels/" + id + "?notice=" + URLEncoder.encode(notice, StandardCharsets.UTF_8)))
                .build();
    }

    private static List<String> words(String value) {
        return value == null || value.isBlank()
                ? List.of()
                : Arrays.stream(value.split("[\\s,]+"))
                        .filter(s -> !s.isEmpty())
                        .toList();
    }
}
