package org.cnx.conveyor.artifact;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.common.DomainException.TooLarge;
import org.cnx.conveyor.common.Subjects;
import org.jboss.logging.Logger;

/**
 * Uploaded artifacts: stored by checksum, asked about, claimed by the releases that reference them, and deleted once
 * no release references them and they have not been uploaded or referenced for the retention period.
 */
@ApplicationScoped
public class ArtifactUploads {

    private static final Logger LOG = Logger.getLogger(ArtifactUploads.class);

    /** An artifact Conveyor holds: its checksum and size; {@code created} when this request stored it. */
    public record Stored(String sha256, long size, boolean created) {}

    private final UploadStore store;
    private final UploadsConfig config;
    private final EntityManager entities;
    private final AuditLog audit;

    ArtifactUploads(UploadStore store, UploadsConfig config, EntityManager entities, AuditLog audit) {
        this.store = store;
        this.config = config;
        this.entities = entities;
        this.audit = audit;
    }

    /**
     * Stores the body under its checksum unless Conveyor has it already (then the body is not read and nothing is
     * rewritten). {@code declaredLength} is the request's Content-Length, or -1.
     */
    // Not one transaction: the body may take minutes to arrive, and no database work waits for it.
    public Stored upload(String sha256, InputStream body, long declaredLength, String user) throws IOException {
        UploadStore.requireChecksum(sha256);
        Optional<Long> known = QuarkusTransaction.requiringNew().call(() -> {
            Optional<Long> size = size(sha256).filter(s -> store.has(sha256));
            size.ifPresent(s -> touch(sha256));
            return size;
        });
        if (known.isPresent()) {
            return new Stored(sha256, known.get(), false);
        }
        if (declaredLength > config.maxSize()) {
            throw new TooLarge(
                    "the artifact is larger than " + config.maxSize() + " bytes (conveyor.uploads.max-size)");
        }
        long size = store.put(sha256, body, config.maxSize());
        QuarkusTransaction.requiringNew().run(() -> record(sha256, size, user));
        return new Stored(sha256, size, true);
    }

    private void record(String sha256, long size, String user) {
        entities.createNativeQuery("""
                        INSERT INTO artifact_uploads (sha256, size, uploaded_by) VALUES (?1, ?2, ?3)
                        ON CONFLICT (sha256) DO UPDATE SET touched_at = now()""")
                .setParameter(1, sha256)
                .setParameter(2, size)
                .setParameter(3, user)
                .executeUpdate();
        audit.record(user, "artifact.uploaded", Subjects.artifact(sha256), size + " bytes");
    }

    /** The artifact's size when it was uploaded and its bytes are here. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Long> find(String sha256) {
        UploadStore.requireChecksum(sha256);
        return size(sha256).filter(s -> store.has(sha256));
    }

    /**
     * Called in the transaction that creates a release referencing the upload: true when it is here. Its row is
     * touched, which holds a concurrent sweep off until that transaction ends, and restarts its retention.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean claim(String sha256) {
        return touch(sha256) && store.has(sha256);
    }

    /** Deletes the uploads no release references and nobody touched for the retention period; returns how many. */
    @Transactional
    public int sweep() {
        Instant cutoff = Instant.now().minus(config.retention());
        @SuppressWarnings("unchecked")
        List<String> gone =
                entities.createNativeQuery("""
                        DELETE FROM artifact_uploads u WHERE u.touched_at < ?1
                        AND NOT EXISTS (SELECT 1 FROM release_components c WHERE c.sha256 = u.sha256)
                        RETURNING u.sha256""").setParameter(1, cutoff).getResultList();
        for (String sha256 : gone) {
            try {
                store.delete(sha256);
            } catch (IOException e) {
                LOG.warnf("Cannot delete the unreferenced upload %s: %s", sha256, e.getMessage());
            }
        }
        if (!gone.isEmpty()) {
            LOG.infof("Deleted %d uploaded artifacts no release references", gone.size());
        }
        return gone.size();
    }

    private Optional<Long> size(String sha256) {
        @SuppressWarnings("unchecked")
        List<Number> sizes = entities.createNativeQuery("SELECT size FROM artifact_uploads WHERE sha256 = ?1")
                .setParameter(1, sha256)
                .getResultList();
        return sizes.stream().findFirst().map(Number::longValue);
    }

    private boolean touch(String sha256) {
        return entities.createNativeQuery("UPDATE artifact_uploads SET touched_at = now() WHERE sha256 = ?1")
                        .setParameter(1, sha256)
                        .executeUpdate()
                > 0;
    }
}
