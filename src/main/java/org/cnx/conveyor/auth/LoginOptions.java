package org.cnx.conveyor.auth;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Which ways to log in the login page offers: the password form, single sign-on, or both. */
@ApplicationScoped
public class LoginOptions {

    private final boolean localLogin;
    private final boolean singleSignOn;
    private final String providerName;

    LoginOptions(
            AuthConfig auth,
            OidcLoginConfig oidc,
            @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "false") boolean singleSignOn) {
        this.localLogin = auth.localLogin();
        this.singleSignOn = singleSignOn;
        this.providerName = oidc.providerName();
    }

    public boolean isLocalLogin() {
        return localLogin;
    }

    public boolean isSingleSignOn() {
        return singleSignOn;
    }

    public String getProviderName() {
        return providerName;
    }
}
