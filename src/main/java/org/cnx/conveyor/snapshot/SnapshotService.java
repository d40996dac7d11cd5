package org.cnx.conveyor.snapshot;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.common.DomainException.Conflict;
import org.cnx.conveyor.common.DomainException.NotFound;
import org.cnx.conveyor.common.Subjects;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.job.JobOrder;
import org.cnx.conveyor.job.JobService;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.job.JobViews.JobSummary;

/** Takes snapshots (as jobs), lists them, and hands out their files; the resource checks who may. */
@ApplicationScoped
public class SnapshotService {

    /** A stored snapshot as the API shows it. */
    public record SnapshotView(
            long id,
            String source,
            long job,
            String file,
            String sha256,
            long sizeBytes,
            String schemaVersion,
            int migrations,
            Instant takenAt) {

        static SnapshotView of(Snapshot s) {
            return new SnapshotView(
                    s.id, s.source, s.jobId, s.file, s.sha256, s.sizeBytes, s.schemaVersion, s.migrations, s.takenAt);
        }
    }

    /** A snapshot's file, checked against its recorded checksum before it is handed out. */
    public record SnapshotFile(Path path, String name, long size) {}

    private final EnvironmentService environments;
    private final JobService jobs;
    private final SnapshotFiles files;
    private final AuditLog audit;

    SnapshotService(EnvironmentService environments, JobService jobs, SnapshotFiles files, AuditLog audit) {
        this.environments = environments;
        this.jobs = jobs;
        this.files = files;
        this.audit = audit;
    }

    /** Queues a snapshot job of {@code source}; it must declare a database and scrub scripts. */
    @Transactional
    public JobSummary take(String source, String by) {
        EnvironmentDefinition definition = environments.definition(source);
        if (definition.database().isEmpty() || definition.snapshots().isEmpty()) {
            throw new Conflict("environment \"" + source
                    + "\" declares no snapshots: its definition needs a database and snapshots: scrub: […]");
        }
        JobSummary job = jobs.submit(JobOrder.of(JobType.SNAPSHOT, source, by));
        audit.record(by, "snapshot.requested", Subjects.environment(source), "job #" + job.id());
        return job;
    }

    /** Snapshots of one source (or of all), newest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<SnapshotView> list(String source) {
        List<Snapshot> found =
                source == null || source.isBlank() ? Snapshot.<Snapshot>list("order by id desc") : Snapshot.of(source);
        return found.stream().map(SnapshotView::of).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public SnapshotView get(long id) {
        return SnapshotView.of(find(id));
    }

    /** The file of a snapshot, for a download (audited); a file that changed since it was stored is refused. */
    @Transactional
    public SnapshotFile download(long id, String by) {
        Snapshot s = find(id);
        Path path = files.path(s);
        try {
            if (!Files.isRegularFile(path) || !SnapshotFiles.sha256(path).equals(s.sha256)) {
                throw new Conflict("the file of snapshot #" + id + " is missing or no longer has its recorded SHA-256");
            }
        } catch (java.io.IOException e) {
            throw new Conflict("cannot read the file of snapshot #" + id + ": " + e.getMessage());
        }
        audit.record(by, "snapshot.downloaded", Subjects.environment(s.source), "snapshot #" + id);
        return new SnapshotFile(path, s.file, s.sizeBytes);
    }

    private static Snapshot find(long id) {
        return Snapshot.<Snapshot>findByIdOptional(id).orElseThrow(() -> new NotFound("no snapshot " + id));
    }
}
