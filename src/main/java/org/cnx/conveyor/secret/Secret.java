package org.cnx.conveyor.secret;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/** A named secret, stored encrypted (AES-GCM); only the deploy engine ever sees its value. */
@Entity
@Table(name = "secrets")
public class Secret extends PanacheEntityBase {

    @Id
    public String name;

    @Column(nullable = false)
    public byte[] nonce;

    @Column(nullable = false)
    public byte[] ciphertext;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt = Instant.now();

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt = Instant.now();

    @Column(name = "updated_by", nullable = false)
    public String updatedBy;

    public static Optional<Secret> findByName(String name) {
        return findByIdOptional(name);
    }
}
