package org.cnx.conveyor.snapshot;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.environment.definition.SnapshotSpec;
import org.cnx.conveyor.job.JobHandler;
import org.cnx.conveyor.job.JobSecrets;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.job.Phase;
import org.cnx.conveyor.job.RunningJob;
import org.cnx.conveyor.migrate.ConveyorServer;
import org.cnx.conveyor.migrate.EnvironmentDatabases;
import org.cnx.conveyor.migrate.EnvironmentDatabases.OpenDatabase;
import org.cnx.conveyor.migrate.engine.TargetDatabase;

/**
 * Runs {@code snapshot} jobs: dumps the source database in a read-only transaction, restores the dump into a temporary
 * database owned by a role of its own (no server privilege, no access to any other database), runs the definition's
 * scrub scripts there as that role, and stores a dump of the scrubbed copy. Any failure or a cancel stores nothing.
 */
@ApplicationScoped
class SnapshotHandler implements JobHandler {

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final EnvironmentService environments;
    private final EnvironmentDatabases databases;
    private final ConveyorServer server;
    private final JobSecrets secrets;
    private final SnapshotFiles files;
    private final SnapshotStore store;
    private final SnapshotConfig config;
    private final SnapshotTemplates templates;

    SnapshotHandler(
            EnvironmentService environments,
            EnvironmentDatabases databases,
            ConveyorServer server,
            JobSecrets secrets,
            SnapshotFiles files,
            SnapshotStore store,
            SnapshotConfig config,
            SnapshotTemplates templates) {
        this.environments = environments;
        this.databases = databases;
        this.server = server;
        this.secrets = secrets;
        this.files = files;
        this.store = store;
        this.config = config;
        this.templates = templates;
    }

    @Override
    public Set<JobType> types() {
        return EnumSet.of(JobType.SNAPSHOT);
    }

    @Override
    public void recover(RunningJob job) {
        // Nothing was stored before the job's last step, and a half-made file is under a name no row points at.
        job.log().info("recovering: the Conveyor running this job stopped; taking the snapshot again");
        run(job);
    }

    @Override
    public void run(RunningJob job) {
        EnvironmentDefinition definition =
                QuarkusTransaction.requiringNew().call(() -> environments.definition(job.environment()));
        if (definition.snapshots().isEmpty() || definition.database().isEmpty()) {
            fail(job, job.environment() + " declares no snapshots (a database and snapshots: scrub: …)");
            return;
        }
        List<String> missing = secrets.mask(job, definition);
        if (!missing.isEmpty()) {
            fail(job, JobSecrets.missingMessage(missing));
            return;
        }
        Path dump = null;
        Path scrubbed = null;
        TargetDatabase scratch = null;
        try {
            dump = files.scratch(job.id(), "source");
            scrubbed = files.scratch(job.id(), "scrubbed");
            copySource(job, definition, dump);
            scratch = server.newScratch();
            SchemaVersion version = scrub(job, definition.snapshots().get(), dump, scratch);
            job.journal().phase(job.id(), Phase.STORE);
            pg(scratch, "pg_dump")
                    .arg("--format=custom", "--compress=0", "--no-owner", "--no-acl", "--file=" + scrubbed)
                    .run(log(job), job::cancelRequested);
            String name = job.environment() + "-" + STAMP.format(Instant.now()) + "-job" + job.id() + ".dump";
            Snapshot snapshot = store.record(
                    job, scrubbed, name, version, definition.snapshots().get());
            job.log()
                    .info("stored snapshot #" + snapshot.id + ": " + snapshot.file + ", " + snapshot.sizeBytes
                            + " bytes, sha256 " + snapshot.sha256 + ", schema version "
                            + (snapshot.schemaVersion == null ? "none" : snapshot.schemaVersion));
            prepareTemplate(job, snapshot);
            store.retain(job, definition.snapshots().get().keep());
            job.log().info("succeeded");
            job.finish(j -> j.succeed());
        } catch (PgCommand.Cancelled e) {
            job.log().info("cancelled: nothing was stored");
            job.finish(j -> j.stopCancelled("cancelled while taking the snapshot; nothing was stored"));
        } catch (PgCommand.Failed | IOException | SQLException | EnvironmentDatabases.Unreachable e) {
            fail(job, e.getMessage());
        } finally {
            dropQuietly(job, scratch);
            if (dump != null) {
                files.discard(dump);
            }
            if (scrubbed != null) {
                files.discard(scrubbed);
            }
        }
    }

    /** The source is only read: a read-only, serializable-deferrable transaction sees one consistent state. */
    private void copySource(RunningJob job, EnvironmentDefinition definition, Path dump)
            throws EnvironmentDatabases.Unreachable, PgCommand.Failed, PgCommand.Cancelled, IOException {
        job.journal().phase(job.id(), Phase.DUMP);
        try (OpenDatabase source = databases.open(definition)) {
            job.log().info("copying " + source.description() + " (read only)");
            pg(source.database(), "pg_dump")
                    .readOnly()
                    .arg("--format=custom", "--compress=0", "--serializable-deferrable", "--no-owner", "--no-acl")
                    .arg("--verbose")
                    .arg("--file=" + dump)
                    .run(log(job), job::cancelRequested);
        }
    }

    private SchemaVersion scrub(RunningJob job, SnapshotSpec spec, Path dump, TargetDatabase scratch)
            throws PgCommand.Failed, PgCommand.Cancelled, IOException, SQLException {
        job.journal().phase(job.id(), Phase.SCRUB);
        job.log().info("restoring the copy into a temporary database");
        pg(scratch, "pg_restore")
                .restoring()
                .arg("--no-owner", "--no-acl", "--exit-on-error", "--jobs=" + config.restoreJobs(), dump.toString())
                .run(log(job), job::cancelRequested);
        files.discard(dump);
        if (job.cancelRequested()) {
            throw new PgCommand.Cancelled();
        }
        try (Connection c = scratch.open()) {
            c.setAutoCommit(false);
            for (int i = 0; i < spec.scrub().size(); i++) {
                try (Statement s = c.createStatement()) {
                    s.execute(spec.scrub().get(i));
                } catch (SQLException e) {
                    c.rollback();
                    throw new SQLException(
                            "scrub script " + (i + 1) + " failed, so no snapshot was stored: " + e.getMessage(), e);
                }
                job.log().info("scrub script " + (i + 1) + " of " + spec.scrub().size() + " ran");
            }
            c.commit();
            c.setAutoCommit(true);
            return SchemaVersion.of(c);
        }
    }

    /**
     * Builds the new snapshot's template now, so that the first clone does not wait for it; a failure only means that
     * the first clone builds it.
     */
    private void prepareTemplate(RunningJob job, Snapshot snapshot) {
        try {
            templates.ensure(snapshot, log(job), job::cancelRequested);
        } catch (SnapshotTemplates.Failed e) {
            job.log().info(e.getMessage() + "; the first database seeded from it prepares it");
        }
    }

    private PgCommand pg(TargetDatabase database, String program) {
        return PgCommand.of(config, program, database);
    }

    private static Consumer<String> log(RunningJob job) {
        return line -> job.log().info(line);
    }

    private void dropQuietly(RunningJob job, TargetDatabase scratch) {
        if (scratch == null) {
            return;
        }
        try {
            server.dropScratch(scratch);
        } catch (SQLException e) {
            job.log().info("could not drop the temporary database: " + e.getMessage());
        }
    }

    private static void fail(RunningJob job, String why) {
        job.log().info("failed: " + why);
        job.finish(j -> j.fail(why));
    }
}
