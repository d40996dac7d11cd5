package org.cnx.conveyor.events;

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
import org.cnx.conveyor.events.SubscriptionViews.DeliveryView;
import org.cnx.conveyor.events.SubscriptionViews.NewSubscription;
import org.cnx.conveyor.events.SubscriptionViews.PingResult;
import org.cnx.conveyor.events.SubscriptionViews.SubscriptionView;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** The subscriptions pages: the list with a form to add one, and each subscription's delivery log. */
@Path("/subscriptions")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.ADMIN_NAME)
class SubscriptionPages {

    @CheckedTemplate(basePath = "events")
    static class Templates {
        static native TemplateInstance subscriptions(List<SubscriptionView> subscriptions, String notice);

        static native TemplateInstance subscription(
                SubscriptionView subscription, List<DeliveryView> deliveries, String notice);
    }

    private final SubscriptionService subscriptions;
    private final SecurityIdentity identity;

    SubscriptionPages(SubscriptionService subscriptions, SecurityIdentity identity) {
        this.subscriptions = subscriptions;
        this.identity = identity;
    }

    @GET
    public TemplateInstance list(@RestQuery String notice) {
        return Templates.subscriptions(subscriptions.list(), notice);
    }

    @POST
    public Response create(
            @RestForm String url, @RestForm String types, @RestForm String environments, @RestForm String secret) {
        SubscriptionView created = subscriptions.create(
                new NewSubscription(url, words(types), words(environments), secret),
                identity.getPrincipal().getName());
        return redirect(created.id(), "Subscription created");
    }

    @GET
    @Path("{id}")
    public TemplateInstance detail(@RestPath long id, @RestQuery String notice) {
        return Templates.subscription(subscriptions.get(id), subscriptions.deliveries(id, null, 200), notice);
    }

    @POST
    @Path("{id}/pause")
    public Response pause(@RestPath long id) {
        subscriptions.pause(id);
        return redirect(id, "Paused: events wait until the subscription is resumed");
    }

    @POST
    @Path("{id}/resume")
    public Response resume(@RestPath long id) {
        subscriptions.resume(id);
        return redirect(id, "Resumed");
    }

    @POST
    @Path("{id}/ping")
    public Response ping(@RestPath long id) {
        PingResult result = subscriptions.ping(id);
        String notice = result.delivered()
                ? "Ping delivered: HTTP " + result.statusCode() + " in " + result.latencyMs() + " ms"
                : "Ping failed: " + (result.statusCode() != null ? "HTTP " + result.statusCode() : result.error());
        return redirect(id, notice);
    }

    @POST
    @Path("{id}/delete")
    public Response delete(@RestPath long id) {
        subscriptions.delete(id);
        return Response.seeOther(URI.create("/subscriptions?notice=Subscription+deleted"))
                .build();
    }

    @POST
    @Path("{id}/deliveries/{delivery}/redeliver")
    public Response redeliver(@RestPath long id, @RestPath long delivery) {
        subscriptions.redeliver(id, delivery);
        return redirect(id, "Delivery " + delivery + " queued again");
    }

    private static Response redirect(long id, String notice) {
        return Response.seeOther(URI.create(
                        "/subscriptions/" + id + "?notice=" + URLEncoder.encode(notice, StandardCharsets.UTF_8)))
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
