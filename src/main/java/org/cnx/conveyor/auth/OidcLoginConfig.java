package org.cnx.conveyor.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;
import java.util.Optional;

/**
 * How a single sign-on login (OpenID Connect, {@code quarkus.oidc.*}) becomes a Conveyor user ({@code conveyor.oidc.*}).
 * Single sign-on itself is switched on by {@code quarkus.oidc.tenant-enabled=true}.
 */
@ConfigMapping(prefix = "conveyor.oidc")
public interface OidcLoginConfig {

    /** The provider's name on the login button, "Log in with …" ({@code conveyor.oidc.provider-name}). */
    @WithDefault("single sign-on")
    String providerName();

    /** The claim holding the user name; GitHub's is {@code login} ({@code conveyor.oidc.username-claim}). */
    @WithDefault("preferred_username")
    String usernameClaim();

    /**
     * The claim whose values are mapped to roles, a string or a list; a dotted name reaches into an object, e.g.
     * Keycloak's {@code realm_access.roles} ({@code conveyor.oidc.roles-claim}).
     */
    @WithDefault("groups")
    String rolesClaim();

    /**
     * Roles granted for each value of the roles claim, comma-separated: {@code conveyor.oidc.role-mapping.leads=lead}.
     * A value not listed grants nothing.
     */
    Map<String, String> roleMapping();

    /**
     * Role for a user none of whose claim values is mapped ({@code conveyor.oidc.default-role}); unset refuses such a
     * login.
     */
    Optional<String> defaultRole();
}
