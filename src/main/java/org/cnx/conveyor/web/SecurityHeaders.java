package org.cnx.conveyor.web;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Adds the browser hardening headers to every response: pages, the API, static files, errors and login redirects.
 * The content security policy allows scripts and styles only from Conveyor's own static files, so no page may use an
 * inline {@code <script>}, a {@code style=} attribute or an {@code on…=} handler.
 */
@ApplicationScoped
class SecurityHeaders {

    static final String CONTENT_SECURITY_POLICY = String.join(
            "; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "object-src 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
            "base-uri 'self'");

    /** Swagger UI (a page of Quarkus, not Conveyor's) starts itself with inline scripts. */
    static final String SWAGGER_UI_POLICY = CONTENT_SECURITY_POLICY
            .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
            .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

    /** One year; sent only over HTTPS, where browsers honour it. */
    static final String STRICT_TRANSPORT_SECURITY = "max-age=31536000";

    void register(@Observes Filters filters) {
        // Runs before authentication, so even a 401 or a redirect to the login form carries the headers.
        filters.register(SecurityHeaders::addOnResponse, 1000);
    }

    private static void addOnResponse(RoutingContext context) {
        boolean https = Https.isHttps(context.request());
        String policy =
                context.normalizedPath().startsWith("/q/swagger-ui") ? SWAGGER_UI_POLICY : CONTENT_SECURITY_POLICY;
        context.addHeadersEndHandler(ignored -> add(context.response().headers(), policy, https));
        context.next();
    }

    private static void add(MultiMap headers, String policy, boolean https) {
        headers.set("Content-Security-Policy", policy);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "same-origin");
        if (https) {
            headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
        }
    }
}
