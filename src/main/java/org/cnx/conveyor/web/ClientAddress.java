package org.cnx.conveyor.web;

import io.vertx.core.http.HttpServerRequest;

/** The address a request came from, for the audit log. */
public final class ClientAddress {

    private ClientAddress() {}

    public static String of(HttpServerRequest request) {
        if (request == null || request.remoteAddress() == null) {
            return null;
        }
        return request.remoteAddress().hostAddress();
    }
}
