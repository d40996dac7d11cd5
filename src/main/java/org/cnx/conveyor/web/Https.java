package org.cnx.conveyor.web;

import io.vertx.core.http.HttpServerRequest;

/**
 * Whether a request reached Conveyor over HTTPS. Behind a reverse proxy this is the proxy's scheme, once
 * {@code quarkus.http.proxy.proxy-address-forwarding} (and {@code allow-x-forwarded} or {@code allow-forwarded}) is on.
 */
public final class Https {

    private Https() {}

    public static boolean isHttps(HttpServerRequest request) {
        return request != null && (request.isSSL() || "https".equalsIgnoreCase(request.scheme()));
    }
}
