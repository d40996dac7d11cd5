package org.cnx.conveyor.audit;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** One appended line of the audit log: who did what to which thing, when and from where. */
@Entity
@Table(name = "audit_log")
public class AuditEntry extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public Instant at = Instant.now();

    @Column(nullable = false)
    public String actor;

    public String address;

    @Column(nullable = false)
    public String action;

    @Column(nullable = false)
    public String subject;

    public String detail;

    /** The newest entries about a subject, newest first. */
    public static List<AuditEntry> about(String subject, int limit) {
        return find("subject = ?1 ORDER BY id DESC", subject).page(0, limit).list();
    }
}
