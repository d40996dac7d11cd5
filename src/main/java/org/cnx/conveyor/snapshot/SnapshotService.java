package org.cnx.conveyor.snapshot;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
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
import org.cnx.conveyor.migrate.engine.TargetDatabase;

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

    /** The snapshot a restore put in place, for the log of whoever asked. */
    public record Restored(long id, Instant takenAt, String schemaVersion, int migrations) {}

    /** A restore that did not happen; the message says why, and the target was left as it was. */
    public static final class RestoreFailed extends Exception {
        RestoreFailed(String message) {
            super(message);
        }
    }

    private final EnvironmentService environments;
    private final JobService jobs;
    private final SnapshotFiles files;
    private final AuditLog audit;

    private final SnapshotConfig config;

    SnapshotService(
            EnvironmentService environments,
            JobService jobs,
            SnapshotFiles files,
            AuditLog audit,
            SnapshotConfig config) {
        this.environments = environments;
        this.jobs = jobs;
        this.files = files;
        this.audit = audit;
        this.config = config;
    }

    /**
     * Replaces what {@code target} holds with the newest recorded (so scrubbed) snapshot of {@code source}: the other
     * sessions of the target database are terminated first, then one {@code pg_restore --clean --if-exists
     * --single-transaction} runs as the target's own user, so a failure or a cancel leaves the target as it was.
     */
    public Restored restoreNewest(String source, TargetDatabase target, Consumer<String> log, BooleanSupplier cancelled)
            throws RestoreFailed {
        Snapshot snapshot = QuarkusTransaction.requiringNew()
                .call(() -> Snapshot.newest(source))
                .orElseThrow(() -> new RestoreFailed("no snapshot of " + source + " has been taken yet"));
        Path file = files.path(snapshot);
        try {
            if (!Files.isRegularFile(file) || !SnapshotFiles.sha256(file).equals(snapshot.sha256)) {
                throw new RestoreFailed("the file of snapshot #" + snapshot.id + " is missing or no longer has its "
                        + "recorded SHA-256; take a new snapshot of " + source);
            }
            log.accept("restoring snapshot #" + snapshot.id + " of " + source + " taken " + snapshot.takenAt
                    + " (schema version " + (snapshot.schemaVersion == null ? "none" : snapshot.schemaVersion) + ")");
            try (Connection c = target.open();
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                            + " WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
                r.next();
                log.accept("terminated " + r.getLong(1) + " other connection(s) to the database");
            }
            PgCommand.of(config, "pg_restore", target)
                    .arg("--clean", "--if-exists", "--single-transaction", "--exit-on-error")
                    .arg("--no-owner", "--no-acl", file.toString())
                    .run(log, cancelled);
            return new Restored(snapshot.id, snapshot.takenAt, snapshot.schemaVersion, snapshot.migrations);
        } catch (IOException | SQLException | PgCommand.Failed e) {
            throw new RestoreFailed(e.getMessage());
        } catch (PgCommand.Cancelled e) {
            throw new RestoreFailed("cancelled: the restore was rolled back");
        }
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
