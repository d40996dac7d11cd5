package org.cnx.conveyor.events;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import org.hibernate.jpa.HibernateHints;

/** One event in the outbox, read-only here: {@link EventPublisher} writes them, the sweeper removes old ones. */
@Entity
@Table(name = "events")
public class StoredEvent extends PanacheEntityBase {

    @Id
    public Long seq;

    @Column(name = "event_id", nullable = false)
    public String eventId;

    @Column(nullable = false)
    public String source;

    @Column(nullable = false)
    public String type;

    public String subject;

    public String environment;

    @Column(nullable = false)
    public Instant time;

    /** The CloudEvent exactly as delivered (signatures are computed over these bytes). */
    @Column(nullable = false)
    public String body;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public Instant createdAt;

    /** Events after a seq, oldest first; read-only: the consumers only send them, so a commit need not check them. */
    public static List<StoredEvent> after(long seq, int limit) {
        return find("seq > ?1 order by seq", seq)
                .withHint(HibernateHints.HINT_READ_ONLY, true)
                .page(0, limit)
                .list();
    }

    /** The newest seq, or 0 when the outbox is empty. */
    public static long lastSeq() {
        Long last = getEntityManager()
                .createQuery("select max(e.seq) from StoredEvent e", Long.class)
                .getSingleResult();
        return last == null ? 0 : last;
    }
}
