package org.cnx.conveyor.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.common.Role;
import org.cnx.conveyor.common.Subjects;

/**
 * Turns a single sign-on identity into a Conveyor user: created at the first login, without a password, and its
 * roles mapped again from the provider's claims at every login.
 */
@ApplicationScoped
@Transactional
public class SingleSignOnAccounts {

    static final Pattern USERNAME = Pattern.compile("^[a-z0-9][a-z0-9._@-]{0,63}$");

    private final OidcLoginConfig config;
    private final AuditLog audit;

    SingleSignOnAccounts(OidcLoginConfig config, AuditLog audit) {
        this.config = config;
        this.audit = audit;
    }

    LoginOutcome login(OidcClaims claims, String address) {
        String subject = claims.subject();
        List<String> names = claims.values(config.usernameClaim());
        String username = names.isEmpty() ? null : names.get(0).toLowerCase(Locale.ROOT);
        if (subject == null || username == null || !USERNAME.matcher(username).matches()) {
            audit.record(
                    username == null ? "unknown" : username,
                    address,
                    "login.failed",
                    Subjects.user(username),
                    "single sign-on: no usable subject or claim " + config.usernameClaim());
            return LoginOutcome.refused("The identity provider sent no usable user name (claim \""
                    + config.usernameClaim() + "\": expected 1-64 characters of a-z, 0-9, '.', '_', '@' or '-').");
        }
        List<String> groups = claims.values(config.rolesClaim());
        Set<Role> roles = RoleMapping.map(config, groups);
        User user = User.findByExternalSubject(subject).orElse(null);
        if (user == null && User.findByUsername(username).isPresent()) {
            audit.record(
                    username,
                    address,
                    "login.failed",
                    Subjects.user(username),
                    "single sign-on: name taken by a local user");
            return LoginOutcome.refused(
                    "A local user named \"" + username + "\" already exists; an admin must remove or "
                            + "rename it before \"" + username + "\" can log in by single sign-on.");
        }
        if (roles.isEmpty()) {
            if (user != null) {
                changeRoles(user, roles, address);
                WebSession.delete("user", user);
            }
            audit.record(
                    username,
                    address,
                    "login.failed",
                    Subjects.user(username),
                    "single sign-on: no role mapped from " + config.rolesClaim() + " " + groups);
            return LoginOutcome.refused("Your account \"" + username + "\" has no " + config.rolesClaim()
                    + " value that grants a Conveyor role; ask an admin.");
        }
        if (user == null) {
            user = create(username, subject, roles, address);
        } else {
            changeRoles(user, roles, address);
        }
        audit.record(user.username, address, "login.succeeded", Subjects.user(user.username), "single sign-on");
        return LoginOutcome.succeeded(user);
    }

    private User create(String username, String subject, Set<Role> roles, String address) {
        User user = new User();
        user.username = username;
        user.externalSubject = subject;
        user.grant(roles);
        user.persist();
        audit.record(username, address, "user.created", Subjects.user(username), "single sign-on; roles " + ids(roles));
        return user;
    }

    private void changeRoles(User user, Set<Role> roles, String address) {
        if (!user.grantedRoles().equals(roles)) {
            audit.record(
                    user.username,
                    address,
                    "user.roles_changed",
                    Subjects.user(user.username),
                    "single sign-on; roles " + ids(user.grantedRoles()) + " -> " + ids(roles));
            user.grant(roles);
        }
    }

    private static String ids(Set<Role> roles) {
        return roles.isEmpty()
                ? "(none)"
                : roles.stream().map(Role::id).sorted().collect(Collectors.joining(","));
    }
}
