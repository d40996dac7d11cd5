package org.cnx.conveyor.web;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;
import org.cnx.conveyor.auth.CredentialService;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/**
 * Refuses cross-site request forgery: every unsafe request (POST, PUT, PATCH, DELETE) that a browser's session cookie
 * authenticated must carry that session's token, whatever its content type, body or path. Pages send it in the
 * {@code csrf-token} form field or the {@code X-CSRF-Token} header; the JSON API only in the header, with a JSON body
 * type. Requests proven by an {@code Authorization} header (Basic or Bearer) carry nothing a browser adds by itself
 * and are not checked. Previews and clones on other ports of Conveyor's host are the same site as Conveyor, so
 * {@code SameSite} cookies do not help and no check here relies on them.
 */
class CsrfCheck {

    /** The hidden field of every page form ({@code templates/csrf.html}). */
    static final String FIELD = "csrf-token";
    /** The header scripts of Conveyor's own pages send. */
    static final String HEADER = "X-CSRF-Token";

    private static final Set<String> UNSAFE = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final SecurityIdentity identity;

    CsrfCheck(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** Before matching, so a cross-site API call is refused before its content type or body is even looked at. */
    @ServerRequestFilter(preMatching = true)
    void checkApiAndOrigin(ResteasyReactiveContainerRequestContext context, HttpServerRequest request) {
        if (!isUnsafe(context)) {
            return;
        }
        refuseOtherSites(request);
        String expected = expectedToken();
        if (expected == null || !request.path().startsWith("/api/")) {
            return;
        }
        if (!isJson(context.getMediaType())) {
            throw refused("a call of the JSON API with the session cookie needs Content-Type: application/json and the "
                    + HEADER + " header");
        }
        requireMatch(request.getHeader(HEADER), expected);
    }

    /** Pages: after the form was read, since a form sends the token in its hidden field. */
    @ServerRequestFilter
    @WithFormRead
    void checkPage(ResteasyReactiveContainerRequestContext context, HttpServerRequest request) {
        String expected = expectedToken();
        if (!isUnsafe(context) || expected == null || request.path().startsWith("/api/")) {
            return;
        }
        String sent = request.getHeader(HEADER);
        if (sent == null && isForm(context.getMediaType())) {
            Object field = ((ResteasyReactiveRequestContext) context.getServerRequestContext())
                    .getFormParameter(FIELD, true, false);
            sent = field == null ? null : field.toString();
        }
        requireMatch(sent, expected);
    }

    /** Whether {@code sent} is the CSRF token of the caller's browser session. */
    static boolean matches(String sent, SecurityIdentity identity) {
        String expected = identity.getAttribute(CredentialService.CSRF_TOKEN_ATTRIBUTE);
        return sent != null
                && expected != null
                && MessageDigest.isEqual(
                        sent.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    private String expectedToken() {
        return identity.getAttribute(CredentialService.CSRF_TOKEN_ATTRIBUTE);
    }

    private static boolean isUnsafe(ResteasyReactiveContainerRequestContext context) {
        return UNSAFE.contains(context.getMethod().toUpperCase(Locale.ROOT));
    }

    private static void requireMatch(String sent, String expected) {
        if (sent == null
                || !MessageDigest.isEqual(
                        sent.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
            throw refused(
                    "the request carries no valid CSRF token for your session. Reload the page and submit it again.");
        }
    }

    /**
     * Browsers say where an unsafe request comes from; one sent by a page of another site or another origin (a
     * preview on another port included) is refused whatever it carries. Scripts send no such header.
     */
    private static void refuseOtherSites(HttpServerRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && (site.equalsIgnoreCase("cross-site") || site.equalsIgnoreCase("same-site"))) {
            throw refused("the request was sent by a page of another origin (Sec-Fetch-Site: " + site + ")");
        }
    }

    private static boolean isJson(MediaType type) {
        return type != null
                && (type.getSubtype().equalsIgnoreCase("json")
                        || type.getSubtype().toLowerCase(Locale.ROOT).endsWith("+json"))
                && type.getType().equalsIgnoreCase("application");
    }

    private static boolean isForm(MediaType type) {
        return type != null
                && (type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                        || type.isCompatible(MediaType.MULTIPART_FORM_DATA_TYPE));
    }

    private static ProblemException refused(String why) {
        return new ProblemException(403, "Forbidden", "Cross-site request refused: " + why);
    }
}
