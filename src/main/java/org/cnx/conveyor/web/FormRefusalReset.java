package org.cnx.conveyor.web;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Drops a refused form's cookie once a page was rendered with it, so a reload shows the page as it is. */
class FormRefusalReset {

    @ServerResponseFilter
    public void dropOnceShown(HttpServerRequest request, ContainerResponseContext response) {
        if (request.getCookie(FormRefusal.COOKIE) != null
                && "GET".equals(request.method().name())) {
            response.getHeaders()
                    .add("Set-Cookie", FormRefusal.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
        }
    }
}
