package org.cnx.conveyor.web;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;
import org.cnx.conveyor.auth.CredentialService;

/**
 * The CSRF token for the hidden field of every form ({@code templates/csrf.html}): the token of the viewer's browser
 * session, which {@link CsrfCheck} expects back. Empty for a visitor who is not logged in (the login form).
 */
@Named("formToken")
@RequestScoped
public class FormToken {

    private final SecurityIdentity identity;

    FormToken(SecurityIdentity identity) {
        this.identity = identity;
    }

    public String name() {
        return CsrfCheck.FIELD;
    }

    public String value() {
        String token = identity.getAttribute(CredentialService.CSRF_TOKEN_ATTRIBUTE);
        return token == null ? "" : token;
    }
}
