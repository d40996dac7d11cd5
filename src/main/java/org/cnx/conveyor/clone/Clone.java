package org.cnx.conveyor.clone;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A developer's personal clone: an environment made from the personal template, owned by one user. */
@Entity
@Table(name = "clones")
public class Clone extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String owner;

    @Column(nullable = false)
    public String environment;

    @Column(nullable = false)
    String status = CloneStatus.ACTIVE.id();

    /** The last time its owner created, deployed or reset it; idle clones are torn down. */
    @Column(name = "last_active_at", nullable = false)
    public Instant lastActiveAt = Instant.now();

    @Column(name = "created_at", nullable = false)
    public Instant createdAt = Instant.now();

    @Column(name = "torn_down_at")
    public Instant tornDownAt;

    static Clone of(String owner, String environment) {
        Clone clone = new Clone();
        clone.owner = owner;
        clone.environment = environment;
        return clone;
    }

    public CloneStatus status() {
        return CloneStatus.parse(status);
    }

    void touch() {
        require(CloneStatus.ACTIVE, "be used");
        lastActiveAt = Instant.now();
    }

    void tearingDown() {
        require(CloneStatus.ACTIVE, "be torn down");
        status = CloneStatus.TEARING_DOWN.id();
    }

    void tornDown() {
        status = CloneStatus.TORN_DOWN.id();
        tornDownAt = Instant.now();
    }

    private void require(CloneStatus expected, String transition) {
        if (status() != expected) {
            throw new IllegalStateException("clone " + environment + " cannot " + transition + ": it is " + status);
        }
    }

    static long countLive(String owner) {
        return count("owner = ?1 and status <> 'torn-down'", owner);
    }

    static Optional<Clone> live(String environment) {
        return find("environment = ?1 and status <> 'torn-down'", environment).firstResultOptional();
    }

    /** Clones not torn down, of one owner (or everyone's for a null owner), newest first. */
    static List<Clone> liveOf(String owner) {
        return owner == null ? list("status <> 'torn-down' order by id desc")
                : list("owner = ?1 and status <> 'torn-down' order by id desc", owner);
    }

    static List<Clone> idleSince(Instant before) {
        return list("status = 'active' and lastActiveAt < ?1", before);
    }
}
