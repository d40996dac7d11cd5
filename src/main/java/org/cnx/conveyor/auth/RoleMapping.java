package org.cnx.conveyor.auth;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.cnx.conveyor.common.Role;

/** Maps the values of the provider's roles claim to Conveyor roles, as {@code conveyor.oidc.role-mapping.*} says. */
final class RoleMapping {

    private RoleMapping() {}

    static Set<Role> map(OidcLoginConfig config, List<String> values) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String value : values) {
            String granted = config.roleMapping().get(value);
            if (granted != null) {
                roles.addAll(parse("conveyor.oidc.role-mapping." + value, granted));
            }
        }
        if (roles.isEmpty() && config.defaultRole().isPresent()) {
            roles.addAll(
                    parse("conveyor.oidc.default-role", config.defaultRole().get()));
        }
        return roles;
    }

    private static Set<Role> parse(String key, String names) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : names.split(",")) {
            if (name.isBlank()) {
                continue;
            }
            try {
                Role role = Role.parse(name);
                if (role == Role.SERVICE) {
                    throw new IllegalArgumentException("the service role is for service users, not people");
                }
                roles.add(role);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(key + ": " + e.getMessage(), e);
            }
        }
        return roles;
    }
}
