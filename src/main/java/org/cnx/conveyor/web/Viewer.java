package org.cnx.conveyor.web;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;
import org.cnx.conveyor.common.Role;

/** The logged-in user as pages see it: {@code {inject:viewer.name}} in templates. */
@Named("viewer")
@RequestScoped
public class Viewer {

    private final SecurityIdentity identity;

    Viewer(SecurityIdentity identity) {
        this.identity = identity;
    }

    public boolean isLoggedIn() {
        return !identity.isAnonymous();
    }

    public String getName() {
        return identity.isAnonymous() ? "" : identity.getPrincipal().getName();
    }

    public boolean isAdmin() {
        return identity.hasRole(Role.ADMIN_NAME);
    }

    public boolean isLead() {
        return identity.hasRole(Role.LEAD_NAME);
    }

    public boolean isDeveloper() {
        return identity.hasRole(Role.DEVELOPER_NAME);
    }
}
