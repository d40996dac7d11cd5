package org.cnx.conveyor.auth;

import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.cnx.conveyor.common.DomainException;
import org.cnx.conveyor.common.DomainException.Conflict;
import org.cnx.conveyor.common.DomainException.Invalid;
import org.cnx.conveyor.common.DomainException.NotFound;
import org.cnx.conveyor.common.Role;

/** Creates, changes and removes users; the only place passwords are hashed. */
@ApplicationScoped
@Transactional
public class UserService {

    static final Pattern USERNAME = Pattern.compile("^[a-z][a-z0-9._-]{1,31}$");

    private final PasswordPolicy policy;
    private final AccountAudit audit;

    UserService(PasswordPolicy policy, AccountAudit audit) {
        this.policy = policy;
        this.audit = audit;
    }

    /** What the API and pages show of a user: never the password hash; {@code singleSignOn} users have no password. */
    public record UserView(String username, List<String> roles, Instant createdAt, boolean singleSignOn) {
        static UserView of(User user) {
            return new UserView(
                    user.username,
                    user.grantedRoles().stream().map(Role::id).collect(Collectors.toList()),
                    user.createdAt,
                    user.isExternal());
        }
    }

    /** A new user: name, password and roles. */
    public record NewUser(String username, String password, List<String> roles) {}

    /** A change to a user; null fields stay as they are. */
    public record UserChange(String password, List<String> roles) {}

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<UserView> list() {
        return User.<User>list("order by username").stream().map(UserView::of).toList();
    }

    public UserView create(NewUser request) {
        if (request == null) {
            throw new Invalid("expected a JSON body with \"username\", \"password\" and \"roles\"");
        }
        if (request.username() == null || !USERNAME.matcher(request.username()).matches()) {
            throw new Invalid(
                    "username: expected 2-32 characters of a-z, 0-9, '.', '_' or '-', starting with a letter");
        }
        if (User.findByUsername(request.username()).isPresent()) {
            throw new Conflict("a user named \"" + request.username() + "\" already exists");
        }
        User user = new User();
        user.username = request.username();
        user.passwordHash = hash(user.username, request.password());
        user.grant(parseRoles(request.roles()));
        user.persist();
        audit.byCaller("user.created", user, "roles " + user.roles);
        return UserView.of(user);
    }

    public UserView update(String username, UserChange change) {
        User user = find(username);
        if (change == null) {
            throw new Invalid("expected a JSON body with \"password\" and/or \"roles\"");
        }
        if (change.password() != null) {
            if (user.isExternal()) {
                throw new Conflict("\"" + username + "\" logs in by single sign-on and has no password here");
            }
            user.passwordHash = hash(user.username, change.password());
            // A new password ends every browser login made with the old one.
            WebSession.delete("user", user);
            audit.byCaller("user.password_changed", user, null);
        }
        if (change.roles() != null) {
            Set<Role> roles = parseRoles(change.roles());
            if (!roles.contains(Role.ADMIN) && user.grantedRoles().contains(Role.ADMIN)) {
                refuseRemovingLastAdmin(user);
            }
            String before = user.roles;
            user.grant(roles);
            if (!before.equals(user.roles)) {
                audit.byCaller("user.roles_changed", user, "roles " + before + " -> " + user.roles);
            }
        }
        user.updatedAt = Instant.now();
        return UserView.of(user);
    }

    public void delete(String username) {
        User user = find(username);
        if (user.grantedRoles().contains(Role.ADMIN)) {
            refuseRemovingLastAdmin(user);
        }
        WebSession.delete("user", user);
        ApiToken.delete("user", user);
        audit.byCaller("user.deleted", user, null);
        user.delete();
    }

    /** Creates the first admin when there is no user at all; returns false when users already exist. */
    public boolean createFirstAdmin(String password) {
        if (User.count() > 0) {
            return false;
        }
        try {
            // The name rule is left out: the operator chose this password, and "admin" is a fixed name.
            policy.check(null, password);
        } catch (DomainException e) {
            throw new IllegalStateException("CONVEYOR_ADMIN_PASSWORD: " + e.getMessage(), e);
        }
        User admin = new User();
        admin.username = "admin";
        admin.passwordHash = BcryptUtil.bcryptHash(password);
        admin.grant(EnumSet.of(Role.ADMIN));
        admin.persist();
        audit.byCaller("user.created", admin, "first admin");
        return true;
    }

    private void refuseRemovingLastAdmin(User user) {
        long admins = User.<User>streamAll()
                .filter(u -> u.grantedRoles().contains(Role.ADMIN))
                .count();
        if (admins <= 1) {
            throw new Conflict("\"" + user.username + "\" is the last admin; make another user admin first");
        }
    }

    private static User find(String username) {
        return User.findByUsername(username).orElseThrow(() -> new NotFound("no user named \"" + username + "\""));
    }

    private String hash(String username, String password) {
        policy.check(username, password);
        return BcryptUtil.bcryptHash(password);
    }

    private static Set<Role> parseRoles(List<String> names) {
        if (names == null || names.isEmpty()) {
            throw new Invalid("roles: expected at least one of reviewer, developer, lead, admin, service");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : names) {
            try {
                roles.add(Role.parse(name));
            } catch (IllegalArgumentException e) {
                throw new Invalid("roles: " + e.getMessage());
            }
        }
        if (roles.contains(Role.SERVICE) && roles.size() > 1) {
            throw new Invalid("roles: a service user has the service role alone (its name is its event namespace)");
        }
        return roles;
    }
}
