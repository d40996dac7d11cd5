package org.cnx.conveyor.events;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Converter;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import org.cnx.conveyor.common.IllegalTransition;
import org.cnx.conveyor.common.StatusColumn;
import org.cnx.conveyor.common.Subjects;

/**
 * A consumer of the outbox: a webhook (where to POST which events, signed with its secret) or a chat channel (Slack,
 * Matrix); delivered in order, one event at a time.
 */
@Entity
@Table(name = "subscriptions")
public class Subscription extends PanacheEntityBase {

    /** Whether deliveries are made; only {@link #pause()} and {@link #resume()} change it. */
    public enum Status {
        ACTIVE,
        PAUSED;

        /** The word stored in {@code subscriptions.status} and shown on pages and in the API. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return id();
        }

        /** {@code subscriptions.status} holds {@link #id()}. */
        @Converter
        public static final class Stored extends StatusColumn<Status> {
            public Stored() {
                super(Status.class, Status::id);
            }
        }
    }

    /** How a delivery is made: a signed CloudEvent, or a chat message rendered from it. */
    public enum Kind {
        WEBHOOK,
        SLACK,
        MATRIX;

        /** The word stored in {@code subscriptions.kind} and used in the API. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return id();
        }

        /** The kind named by {@code id}, if it names one. */
        public static java.util.Optional<Kind> parse(String id) {
            return Arrays.stream(values()).filter(k -> k.id().equals(id)).findFirst();
        }

        /** {@code subscriptions.kind} holds {@link #id()}. */
        @Converter
        public static final class Stored extends StatusColumn<Kind> {
            public Stored() {
                super(Kind.class, Kind::id);
            }
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String url;

    @Column(nullable = false)
    @Convert(converter = Kind.Stored.class)
    public Kind kind = Kind.WEBHOOK;

    /** A Matrix channel's room id; null for other kinds. */
    public String room;

    /** A chat channel's name, as its page shows it. */
    public String name;

    /** Comma-separated stages whose environments' events are taken too; empty for none. */
    @Column(nullable = false)
    String stages = "";

    /** Comma-separated type patterns. */
    @Column(nullable = false)
    String types;

    /** Comma-separated environment names; empty for every event. */
    @Column(nullable = false)
    String environments = "";

    @Column(name = "secret_nonce")
    byte[] secretNonce;

    @Column(name = "secret_ciphertext")
    byte[] secretCiphertext;

    @Column(nullable = false)
    @Convert(converter = Status.Stored.class)
    private Status status = Status.ACTIVE;

    /** The last outbox seq turned into a delivery or passed over as not matching. */
    @Column(name = "cursor_seq", nullable = false)
    public long cursorSeq;

    /** While set and in the future, the oldest pending delivery waits for its retry and holds back the rest. */
    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "lease_owner")
    public String leaseOwner;

    @Column(name = "lease_expires_at")
    public Instant leaseExpiresAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt = Instant.now();

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt = Instant.now();

    public EventFilter filter() {
        return new EventFilter(split(types), split(environments));
    }

    void filter(EventFilter filter) {
        types = String.join(",", filter.types());
        environments = String.join(",", filter.environments());
    }

    public List<String> stages() {
        return split(stages);
    }

    void stages(List<String> names) {
        stages = String.join(",", names);
    }

    public Status status() {
        return status;
    }

    public void pause() {
        IllegalTransition.unlessIn(EnumSet.of(Status.ACTIVE), status, "subscription " + id, "be paused");
        status = Status.PAUSED;
        updatedAt = Instant.now();
    }

    /** Resumes deliveries; a delivery waiting for its retry is tried at once. */
    public void resume() {
        IllegalTransition.unlessIn(EnumSet.of(Status.PAUSED), status, "subscription " + id, "be resumed");
        status = Status.ACTIVE;
        nextAttemptAt = null;
        updatedAt = Instant.now();
    }

    /** The AES-GCM associated data of this subscription's secret: a ciphertext copied to another row does not open. */
    String secretName() {
        return Subjects.subscription(id);
    }

    private static List<String> split(String value) {
        return value == null || value.isBlank() ? List.of() : Arrays.asList(value.split(","));
    }
}
