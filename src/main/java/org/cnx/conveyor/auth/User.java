package org.cnx.conveyor.auth;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.cnx.conveyor.common.Role;

/** A person (or a service) who logs in to Conveyor. */
@Entity
@Table(name = "users")
public class User extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, unique = true)
    public String username;

    @Column(name = "password_hash")
    public String passwordHash;

    /** The OpenID Connect subject of a user who logs in by single sign-on; null for a local user. */
    @Column(name = "external_subject", unique = true)
    public String externalSubject;

    /** Comma-separated role ids, as granted (not expanded). */
    @Column(nullable = false)
    String roles;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt = Instant.now();

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt = Instant.now();

    public static Optional<User> findByUsername(String username) {
        return find("username", username).firstResultOptional();
    }

    public static Optional<User> findByExternalSubject(String subject) {
        return find("externalSubject", subject).firstResultOptional();
    }

    /** Whether this user logs in by single sign-on, and so has no local password. */
    public boolean isExternal() {
        return externalSubject != null;
    }

    /** The roles granted to this user, without the implied ones. */
    public Set<Role> grantedRoles() {
        if (roles == null || roles.isBlank()) {
            return EnumSet.noneOf(Role.class);
        }
        return Arrays.stream(roles.split(","))
                .map(Role::parse)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Role.class)));
    }

    /** Every role this user effectively has, the implied ones included. */
    public Set<Role> effectiveRoles() {
        Set<Role> effective = EnumSet.noneOf(Role.class);
        grantedRoles().forEach(role -> effective.addAll(role.withImplied()));
        return effective;
    }

    public void grant(Set<Role> granted) {
        this.roles = granted.stream().map(Role::id).sorted().collect(Collectors.joining(","));
        this.updatedAt = Instant.now();
    }
}
