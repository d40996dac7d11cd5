package org.cnx.conveyor.common;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A user's role; each of the people's roles includes the permissions of the roles below it. {@link #SERVICE} stands
 * apart: a cnx service's user may only publish events in its own namespace and read the event stream.
 */
public enum Role {
    REVIEWER,
    DEVELOPER,
    LEAD,
    ADMIN,
    SERVICE;

    public static final String REVIEWER_NAME = "reviewer";
    public static final String DEVELOPER_NAME = "developer";
    public static final String LEAD_NAME = "lead";
    public static final String ADMIN_NAME = "admin";
    public static final String SERVICE_NAME = "service";

    /** The role name as used in definitions, the API and {@code @RolesAllowed}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** This role and every role it includes: a lead may also do what developers and reviewers do. */
    public Set<Role> withImplied() {
        if (this == SERVICE) {
            return EnumSet.of(SERVICE);
        }
        return EnumSet.range(REVIEWER, this);
    }

    /** Parses a role name, case-insensitively. */
    public static Role parse(String name) {
        for (Role role : values()) {
            if (role.id().equalsIgnoreCase(name.trim())) {
                return role;
            }
        }
        throw new IllegalArgumentException(
                "unknown role \"" + name + "\", expected one of reviewer, developer, lead, admin, service");
    }
}
