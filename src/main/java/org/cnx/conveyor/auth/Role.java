package org.cnx.conveyor.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** A user's role; each role includes the permissions of the roles below it. */
public enum Role {
    REVIEWER,
    DEVELOPER,
    LEAD,
    ADMIN;

    public static final String REVIEWER_NAME = "reviewer";
    public static final String DEVELOPER_NAME = "developer";
    public static final String LEAD_NAME = "lead";
    public static final String ADMIN_NAME = "admin";

    /** The role name as used in definitions, the API and {@code @RolesAllowed}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** This role and every role it includes: a lead may also do what developers and reviewers do. */
    public Set<Role> withImplied() {
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
                "unknown role \"" + name + "\", expected one of reviewer, developer, lead, admin");
    }
}
