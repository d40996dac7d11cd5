package org.cnx.conveyor.web;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.core.multipart.FormData;
import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/**
 * Destructive page actions ask before they act: a form posted to one of them without {@code confirmed=yes} gets a
 * page that says what will happen and posts the same fields again with it. Pages with JavaScript ask in a dialog
 * first ({@code js/forms.js}) and send the field themselves; without JavaScript this page is the question. The JSON
 * API is not concerned: scripts say what they mean.
 */
class ConfirmStep {

    /** The form field that says the user confirmed. */
    static final String FIELD = "confirmed";

    /** One destructive page route: its path and the question, with {@code $1} for the path's name or id. */
    record Action(Pattern path, String question, String button) {

        static Action of(String regex, String question, String button) {
            return new Action(Pattern.compile(regex), question, button);
        }
    }

    static final List<Action> ACTIONS = List.of(
            Action.of(
                    "/clones/([^/]+)/teardown",
                    "Tear down clone $1? Its hosts, files and database are removed for good.",
                    "Tear down"),
            Action.of(
                    "/clones/([^/]+)/reset",
                    "Reset the data of clone $1? Its database is replaced by a fresh copy.",
                    "Reset data"),
            Action.of("/users/([^/]+)/delete", "Delete user $1? Their sessions and API tokens stop working.", "Delete"),
            Action.of(
                    "/environments/([^/]+)/rollback",
                    "Roll $1 back to its previous release? The site switches back right away.",
                    "Roll back"),
            Action.of("/jobs/([^/]+)/cancel", "Cancel job #$1? A running job stops and rolls back.", "Cancel job"),
            Action.of(
                    "/environments/([^/]+)/migrations/mark",
                    "Change the migration history of $1 without running anything? Later deploys trust it.",
                    "Change history"),
            Action.of(
                    "/environments/([^/]+)/migrations/baseline",
                    "Baseline the database of $1? Migrations up to it are recorded as applied without running.",
                    "Baseline"),
            Action.of("/secrets/([^/]+)/delete", "Delete secret $1? Definitions that use it stop deploying.", "Delete"),
            Action.of(
                    "/subscriptions/([^/]+)/delete",
                    "Delete subscription #$1? Its deliveries stop and their log goes.",
                    "Delete"),
            Action.of(
                    "/channels/([^/]+)/delete",
                    "Delete chat channel #$1? Its messages stop and their log goes.",
                    "Delete"),
            Action.of(
                    "/tokens/([^/]+)/revoke",
                    "Revoke API token #$1? Scripts that use it are refused from now on.",
                    "Revoke"),
            Action.of(
                    "/freezes/([^/]+)/delete",
                    "Delete deploy freeze #$1? Deploys it holds back are allowed again.",
                    "Delete"));

    /** A field to post again, as the confirmation page's hidden inputs. */
    public record Field(String name, String value) {}

    /** What the confirmation page shows and where it posts. */
    public record Question(String action, String text, String button, List<Field> fields, String back) {}

    private final Template confirm;
    private final SecurityIdentity identity;

    ConfirmStep(@Location("confirm.html") Template confirm, SecurityIdentity identity) {
        this.confirm = confirm;
        this.identity = identity;
    }

    /** Only posts that carry the session's CSRF token are asked about: a forged one is left to {@link CsrfCheck}. */
    @ServerRequestFilter(priority = Priorities.USER + 100)
    @WithFormRead
    Optional<Response> askFirst(ResteasyReactiveContainerRequestContext context, HttpServerRequest request) {
        if (!"POST".equals(context.getMethod().toUpperCase(Locale.ROOT)) || !isForm(context.getMediaType())) {
            return Optional.empty();
        }
        FormData form = formOf(context);
        FormValue token = form == null ? null : form.getFirst(CsrfCheck.FIELD);
        if (token == null || !CsrfCheck.matches(token.getValue(), identity)) {
            return Optional.empty();
        }
        Optional<Question> question = question(request.path(), form, request.getHeader("Referer"));
        return question.map(q -> Response.ok(confirm.data("question", q).render(), MediaType.TEXT_HTML_TYPE)
                .header("Cache-Control", "no-store")
                .build());
    }

    /** The question for a post to this path with these fields, or empty when it needs none (or was confirmed). */
    static Optional<Question> question(String path, FormData form, String referer) {
        for (Action action : ACTIONS) {
            Matcher m = action.path().matcher(path);
            if (!m.matches()) {
                continue;
            }
            if (form != null
                    && form.getFirst(FIELD) != null
                    && "yes".equals(form.getFirst(FIELD).getValue())) {
                return Optional.empty();
            }
            List<Field> fields = new ArrayList<>();
            if (form != null) {
                for (String name : form) {
                    if (name.equals(CsrfCheck.FIELD) || name.equals(FIELD)) {
                        continue;
                    }
                    for (FormValue value : form.get(name)) {
                        if (!value.isFileItem()) {
                            fields.add(new Field(name, value.getValue()));
                        }
                    }
                }
            }
            return Optional.of(
                    new Question(path, m.replaceFirst(action.question()), action.button(), fields, back(referer)));
        }
        return Optional.empty();
    }

    /** The page the form was on, as a path of this site only (never another host's address). */
    private static String back(String referer) {
        try {
            String path = referer == null ? null : URI.create(referer).getRawPath();
            return path == null || !path.startsWith("/") || path.startsWith("//") ? "/" : path;
        } catch (IllegalArgumentException e) {
            return "/";
        }
    }

    private static FormData formOf(ResteasyReactiveContainerRequestContext context) {
        return ((ResteasyReactiveRequestContext) context.getServerRequestContext()).getFormData();
    }

    private static boolean isForm(MediaType type) {
        return type != null && type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE);
    }
}
