package org.cnx.conveyor.artifact;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Lets artifact uploads be as large as {@code conveyor.uploads.max-size} while every other request keeps the small
 * {@code quarkus.http.limits.max-body-size}: the body of an upload is streamed to disk, never held in memory, so the
 * general limit (which guards bodies that are parsed in memory) does not apply to it. Quarkus refuses a request whose
 * Content-Length passes the general limit before any resource sees it, so the header is set aside around that check
 * and the upload's own limit is what the request stream enforces while it is read.
 */
@ApplicationScoped
class UploadSizeLimit {

    /** Where Quarkus's request stream reads the largest body it lets through. */
    private static final String STREAM_LIMIT = "io.quarkus.max-request-size";

    private static final String SET_ASIDE = UploadSizeLimit.class.getName() + ".content-length";
    private static final String UPLOADS = "/api/artifacts/*";
    private static final long SLACK = 1024 * 1024;

    void install(@Observes Router router, UploadsConfig config) {
        router.put(UPLOADS).order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(context -> {
            String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null) {
                context.put(SET_ASIDE, length);
                context.request().headers().remove(HttpHeaders.CONTENT_LENGTH);
            }
            context.next();
        });
        router.put(UPLOADS).order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1).handler(context -> {
            String length = context.get(SET_ASIDE);
            if (length != null) {
                context.request().headers().set(HttpHeaders.CONTENT_LENGTH, length);
            }
            // A little above the upload's own limit, so that the upload (not the stream) refuses a body that passes
            // it, with a problem detail rather than a bare 413.
            context.put(STREAM_LIMIT, config.maxSize() + SLACK);
            context.next();
        });
    }
}
