package org.cnx.conveyor.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.PasswordCredential;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import org.cnx.conveyor.web.Problem;

/**
 * Authenticates every request: HTTP Basic (password or API token) and Bearer tokens for scripts,
 * the session cookie for browsers. Unauthenticated API calls get 401, pages a redirect to the login form.
 */
@ApplicationScoped
public class ConveyorAuthMechanism implements HttpAuthenticationMechanism {

    public static final String SESSION_COOKIE = "conveyor_session";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String authorization = context.request().getHeader("Authorization");
        if (authorization != null) {
            AuthenticationRequest request = parseAuthorization(authorization);
            if (request == null) {
                return Uni.createFrom().failure(new AuthenticationFailedException("unsupported Authorization header"));
            }
            return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(request, context));
        }
        Cookie session = context.request().getCookie(SESSION_COOKIE);
        if (session != null && !session.getValue().isBlank()) {
            // An expired or ended session is just "not logged in": the login page must still open.
            return identities
                    .authenticate(new SessionAuthenticationRequest(session.getValue()))
                    .onFailure(AuthenticationFailedException.class)
                    .recoverWithNull();
        }
        return Uni.createFrom().nullItem();
    }

    private static AuthenticationRequest parseAuthorization(String header) {
        int space = header.indexOf(' ');
        if (space < 0) {
            return null;
        }
        String scheme = header.substring(0, space);
        String value = header.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("Bearer") && !value.isEmpty()) {
            return new TokenAuthenticationRequest(new TokenCredential(value, "bearer"));
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                return null;
            }
            return new UsernamePasswordAuthenticationRequest(
                    decoded.substring(0, colon),
                    new PasswordCredential(decoded.substring(colon + 1).toCharArray()));
        }
        return null;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        if (wantsPage(context)) {
            String target = context.request().uri();
            String location = "/login?next=" + URLEncoder.encode(target, StandardCharsets.UTF_8);
            return Uni.createFrom().item(new ChallengeData(302, "Location", location));
        }
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Basic realm=\"Conveyor\""));
    }

    /** Browsers asking for a page get the login form; scripts and API clients get a plain 401. */
    private static boolean wantsPage(RoutingContext context) {
        String path = context.normalizedPath();
        if (path.startsWith("/api/")
                || path.startsWith("/q/")
                || path.startsWith("/hooks/")
                || context.request().getHeader("Authorization") != null) {
            return false;
        }
        String accept = context.request().getHeader("Accept");
        return accept != null && accept.contains("text/html");
    }

    /** A throttled password login gets 429 with {@code Retry-After} and a problem detail, not another challenge. */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        LoginOutcome throttled = context.get(LoginOutcome.THROTTLED_ATTRIBUTE);
        if (throttled == null) {
            return HttpAuthenticationMechanism.super.sendChallenge(context);
        }
        String body = new JsonObject()
                .put("type", "about:blank")
                .put("title", "Too many failed logins")
                .put("status", 429)
                .put("detail", throttled.message())
                .encode();
        HttpServerResponse response = context.response()
                .setStatusCode(429)
                .putHeader("Retry-After", Long.toString(throttled.retryAfterSeconds()))
                .putHeader("Content-Type", Problem.MEDIA_TYPE);
        return Uni.createFrom()
                .completionStage(response.end(body).toCompletionStage())
                .replaceWith(Boolean.TRUE);
    }

    /** Ahead of the single sign-on mechanism, so its redirect to the identity provider is never the default challenge. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(
                UsernamePasswordAuthenticationRequest.class,
                TokenAuthenticationRequest.class,
                SessionAuthenticationRequest.class);
    }
}
