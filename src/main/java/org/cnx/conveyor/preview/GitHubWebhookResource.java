package org.cnx.conveyor.preview;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cnx.conveyor.common.DomainException.Conflict;
import org.cnx.conveyor.common.DomainException.Invalid;
import org.cnx.conveyor.web.Problem;

/**
 * {@code POST /hooks/github}: reachable without a login, trusted only through {@code X-Hub-Signature-256}, which is
 * checked over the raw body before anything is parsed, whichever content type GitHub was told to use ({@code
 * application/json}, or its default {@code application/x-www-form-urlencoded} with the JSON in {@code payload}).
 * Deliveries are handled once each ({@code X-GitHub-Delivery}), and a signed body is handled once whatever delivery id
 * comes with it (the signature has no timestamp, so a captured delivery would otherwise stay valid forever). A
 * delivery is only recorded and turned into queued jobs here: it is answered long before any build runs.
 */
@Path("/hooks/github")
class GitHubWebhookResource {

    private final GitHubConfig config;
    private final GitHubDeliveries deliveries;
    private final PreviewService previews;
    private final PushDeploys pushes;
    private final ObjectMapper json;

    GitHubWebhookResource(
            GitHubConfig config,
            GitHubDeliveries deliveries,
            PreviewService previews,
            PushDeploys pushes,
            ObjectMapper json) {
        this.config = config;
        this.deliveries = deliveries;
        this.previews = previews;
        this.pushes = pushes;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response receive(
            @HeaderParam(WebhookSignature.HEADER) String signature,
            @HeaderParam("X-GitHub-Event") String event,
            @HeaderParam("X-GitHub-Delivery") String delivery,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            InputStream input)
            throws IOException {
        byte[] body = input.readNBytes(config.maxPayload() + 1);
        if (body.length > config.maxPayload()) {
            return problem(
                    413,
                    "Payload too large",
                    "deliveries are limited to " + config.maxPayload() + " bytes (conveyor.github.max-payload)");
        }
        if (!WebhookSignature.verify(config.webhookSecret().orElse(null), body, signature)) {
            return problem(401, "Unauthorized", "missing or wrong X-Hub-Signature-256; check the webhook secret");
        }
        if (event == null || event.isBlank()) {
            throw new Invalid("X-GitHub-Event: expected the event name");
        }
        if (event.equals("ping")) {
            return answer(200, event, delivery, Handled.only("pong"));
        }
        if (!event.equals("pull_request") && !event.equals("push")) {
            return answer(
                    202, event, delivery, Handled.only("ignored: Conveyor acts on pull_request and push events only"));
        }
        if (delivery == null || delivery.isBlank() || delivery.length() > 100) {
            throw new Invalid("X-GitHub-Delivery: expected the delivery id");
        }
        DeliveryBody kind = DeliveryBody.of(contentType);
        if (kind == DeliveryBody.UNSUPPORTED) {
            return problem(
                    415,
                    "Unsupported Media Type",
                    "Content-Type " + contentType + " is not a GitHub delivery; in the webhook's settings on GitHub, "
                            + "choose Content type application/json");
        }
        JsonNode payload = parse(kind.json(body));
        switch (deliveries.claim(delivery, event, body)) {
            case HANDLED_BEFORE -> {
                return answer(
                        200,
                        event,
                        delivery,
                        Handled.only("delivery " + delivery + " was handled before; nothing done again"));
            }
            case REPLAYED ->
                throw new Conflict("this exact signed body was delivered before under another "
                        + "X-GitHub-Delivery id; a replay is refused");
            case NEW -> {}
        }
        try {
            Handled handled = event.equals("push") ? pushes.pushed(payload) : pullRequest(PullRequest.of(payload));
            deliveries.finished(delivery, handled.outcome());
            return answer(202, event, delivery, handled);
        } catch (RuntimeException e) {
            deliveries.forget(delivery);
            throw e;
        }
    }

    private Handled pullRequest(PullRequest pr) {
        return switch (pr.action()) {
            case "opened", "reopened" -> previews.open(pr);
            case "labeled" -> previews.labeled(pr);
            case "synchronize" -> previews.synchronize(pr);
            case "closed" -> previews.close(pr, "pull request " + pr.name() + " closed");
            case "unlabeled" -> previews.unlabeled(pr);
            default -> Handled.only("ignored: action " + pr.action() + " does not change previews");
        };
    }

    private JsonNode parse(byte[] body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new Invalid("expected a JSON body: " + e.getMessage());
        }
    }

    private static Response answer(int status, String event, String delivery, Handled handled) {
        Map<String, Object> entity = new LinkedHashMap<>();
        entity.put("event", event);
        if (delivery != null) {
            entity.put("delivery", delivery);
        }
        entity.put("outcome", handled.outcome());
        if (handled.job() != null) {
            entity.put("job", handled.job());
        }
        return Response.status(status).entity(entity).build();
    }

    private static Response problem(int status, String title, String detail) {
        return Problem.of(status, title, detail).toResponse();
    }
}
