package org.cnx.conveyor.clone;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cnx.conveyor.common.IllegalTransition;

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
    @Convert(converter = CloneStatus.Stored.class)
    private CloneStatus status = CloneStatus.ACTIVE;

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
        return status;
    }

    void touch() {
        require(EnumSet.of(CloneStatus.ACTIVE), "be used");
        lastActiveAt = Instant.now();
    }

    void tearingDown() {
        require(EnumSet.of(CloneStatus.ACTIVE), "be torn down");
        status = CloneStatus.TEARING_DOWN;
    }

    /** Its environment was destroyed (normally by its teardown job, possibly by an admin while it was active). */
    void tornDown() {
        require(EnumSet.of(CloneStatus.ACTIVE, CloneStatus.TEARING_DOWN), "be torn down again");
        status = CloneStatus.TORN_DOWN;
        tornDownAt = Instant.now();
    }

    private void require(Set<CloneStatus> allowed, String transition) {
        IllegalTransition.unlessIn(allowed, status, "clone " + environment, transition);
    }

    static long countLive(String owner) {
        return count("owner = ?1 and status <> ?2", owner, CloneStatus.TORN_DOWN);
    }

    static Optional<Clone> live(String environment) {
        return find("environment = ?1 and status <> ?2", environment, CloneStatus.TORN_DOWN)
                .firstResultOptional();
    }

    /** Clones not torn down, of one owner (or everyone's for a null owner), newest first. */
    static List<Clone> liveOf(String owner) {
        return owner == null
                ? list("status <> ?1 order by id desc", CloneStatus.TORN_DOWN)
                : list("owner = ?1 and status <> ?2 order by id desc", owner, CloneStatus.TORN_DOWN);
    }

    static List<Clone> idleSince(Instant before) {
        return list("status = ?1 and lastActiveAt < ?2", CloneStatus.ACTIVE, before);
    }
}
