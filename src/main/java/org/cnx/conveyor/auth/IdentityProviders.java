package org.cnx.conveyor.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import java.util.Optional;
import java.util.function.Supplier;
import org.cnx.conveyor.web.ClientAddress;

/** The three ways a request proves who it is: password or token over Basic, Bearer token, session cookie. */
final class IdentityProviders {

    private IdentityProviders() {}

    static Uni<SecurityIdentity> blocking(
            AuthenticationRequestContext context, Supplier<Optional<SecurityIdentity>> check) {
        return context.runBlocking(() -> check.get().orElseThrow(AuthenticationFailedException::new));
    }

    @ApplicationScoped
    static class Password implements IdentityProvider<UsernamePasswordAuthenticationRequest> {
        private final CredentialService credentials;
        private final PasswordLogin logins;

        Password(CredentialService credentials, PasswordLogin logins) {
            this.credentials = credentials;
            this.logins = logins;
        }

        @Override
        public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
            return UsernamePasswordAuthenticationRequest.class;
        }

        @Override
        @ActivateRequestContext
        public Uni<SecurityIdentity> authenticate(
                UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
            String username = request.getUsername();
            String secret = new String(request.getPassword().getPassword());
            if (secret.startsWith(Tokens.API_TOKEN_PREFIX)) {
                return blocking(context, () -> credentials.byApiTokenAsPassword(username, secret));
            }
            RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(request);
            String address = http == null ? null : ClientAddress.of(http.request());
            return context.runBlocking(() -> {
                LoginOutcome outcome = logins.attempt(username, secret, address, PasswordLogin.Channel.BASIC);
                if (outcome.succeeded()) {
                    return CredentialService.identity(outcome.user());
                }
                if (outcome.retryAfter() != null && http != null) {
                    // Read by ConveyorAuthMechanism.sendChallenge, which answers 429 instead of a Basic challenge.
                    http.put(LoginOutcome.THROTTLED_ATTRIBUTE, outcome);
                }
                throw new AuthenticationFailedException(outcome.message());
            });
        }
    }

    @ApplicationScoped
    static class Bearer implements IdentityProvider<TokenAuthenticationRequest> {
        private final CredentialService credentials;

        Bearer(CredentialService credentials) {
            this.credentials = credentials;
        }

        @Override
        public Class<TokenAuthenticationRequest> getRequestType() {
            return TokenAuthenticationRequest.class;
        }

        /** Before single sign-on's provider, which handles the same request type. */
        @Override
        public int priority() {
            return 1000;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(
                TokenAuthenticationRequest request, AuthenticationRequestContext context) {
            if (request.getToken().getClass() != TokenCredential.class) {
                // ID and access tokens of the single sign-on code flow (subclasses) are for its own provider.
                return Uni.createFrom().nullItem();
            }
            return blocking(
                    context, () -> credentials.byToken(request.getToken().getToken()));
        }
    }

    @ApplicationScoped
    static class Session implements IdentityProvider<SessionAuthenticationRequest> {
        private final CredentialService credentials;

        Session(CredentialService credentials) {
            this.credentials = credentials;
        }

        @Override
        public Class<SessionAuthenticationRequest> getRequestType() {
            return SessionAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(
                SessionAuthenticationRequest request, AuthenticationRequestContext context) {
            return blocking(context, () -> credentials.bySession(request.sessionId()));
        }
    }
}
