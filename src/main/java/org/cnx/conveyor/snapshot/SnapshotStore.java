package org.cnx.conveyor.snapshot;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.cnx.conveyor.environment.definition.SnapshotSpec;
import org.cnx.conveyor.job.RunningJob;

/** Records finished snapshot files (one row each, never updated) and removes the oldest beyond a source's keep. */
@ApplicationScoped
class SnapshotStore {

    private final SnapshotFiles files;
    private final SnapshotTemplates templates;

    SnapshotStore(SnapshotFiles files, SnapshotTemplates templates) {
        this.files = files;
        this.templates = templates;
    }

    /** Moves the finished file into place and records it; the row exists only once the file is complete. */
    Snapshot record(RunningJob job, Path finished, String name, SchemaVersion version, SnapshotSpec spec)
            throws IOException {
        String sha256 = SnapshotFiles.sha256(finished);
        long size = Files.size(finished);
        files.store(finished, name);
        return QuarkusTransaction.requiringNew().call(() -> {
            Snapshot s = new Snapshot();
            s.environmentId = job.environmentId();
            s.source = job.environment();
            s.jobId = job.id();
            s.file = name;
            s.sha256 = sha256;
            s.sizeBytes = size;
            s.schemaVersion = version.newest();
            s.migrations = version.count();
            s.scrubSha256 = SnapshotFiles.sha256(String.join("\n;\n", spec.scrub()));
            s.takenAt = Instant.now();
            s.persist();
            return s;
        });
    }

    /** Keeps the newest {@code keep} snapshots of the job's source; the rows go first, then their files. */
    void retain(RunningJob job, int keep) {
        List<Snapshot> removed = QuarkusTransaction.requiringNew().call(() -> {
            List<Snapshot> old =
                    Snapshot.of(job.environment()).stream().skip(keep).toList();
            old.forEach(Snapshot::delete);
            return old;
        });
        for (Snapshot s : removed) {
            try {
                templates.drop(s);
            } catch (SQLException e) {
                job.log().info("could not drop the template of snapshot #" + s.id + ": " + e.getMessage());
            }
            files.discard(files.path(s));
            job.log().info("removed snapshot #" + s.id + " (" + s.file + "): the source keeps " + keep);
        }
    }
}
