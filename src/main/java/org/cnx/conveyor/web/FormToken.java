package org.cnx.conveyor.web;

import io.quarkus.csrf.reactive.runtime.CsrfTokenParameterProvider;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/**
 * The CSRF token for the hidden field of every form ({@code templates/csrf.html}). Normally the CSRF filter has
 * issued it for this request; an error page rendered before that filter ran (a 403 for a form post) reuses the token
 * of the cookie the browser sent, so its own forms (log out) still work.
 */
@Named("formToken")
@RequestScoped
public class FormToken {

    private static final String TOKEN_ATTRIBUTE = "csrf_token";

    private final RoutingContext request;
    private final CsrfTokenParameterProvider csrf;

    FormToken(RoutingContext request, @Named("csrf") CsrfTokenParameterProvider csrf) {
        this.request = request;
        this.csrf = csrf;
    }

    public String name() {
        return csrf.getParameterName();
    }

    public String value() {
        Object issued = request.get(TOKEN_ATTRIBUTE);
        if (issued != null) {
            return issued.toString();
        }
        Cookie cookie = request.request().getCookie(csrf.getCookieName());
        return cookie == null ? "" : cookie.getValue();
    }
}
