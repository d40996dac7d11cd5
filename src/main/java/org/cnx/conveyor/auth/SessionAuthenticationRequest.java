package org.cnx.conveyor.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A request to authenticate by the browser's session cookie. */
public final class SessionAuthenticationRequest extends BaseAuthenticationRequest {

    private final String sessionId;

    public SessionAuthenticationRequest(String sessionId) {
        this.sessionId = sessionId;
    }

    public String sessionId() {
        return sessionId;
    }
}
