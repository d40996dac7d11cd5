package org.cnx.conveyor.migrate;

import java.time.Instant;
import java.util.List;

/** What the migration pages and API show. */
public final class MigrationViews {

    private MigrationViews() {}

    /**
     * One migration of an environment. {@code state}: {@code applied}, {@code pending}, {@code failed},
     * {@code deferred-pending}, {@code deferred-applied}, {@code baseline}, {@code below-baseline}, or
     * {@code applied-not-in-release} (applied, but the live release no longer has it).
     */
    public record MigrationRow(
            String kind,
            String version,
            String description,
            String script,
            String state,
            Instant appliedAt,
            String appliedBy,
            Long job,
            Integer checksum,
            boolean reversible,
            String problem) {}

    /** One thing Conveyor did to the database's history. */
    public record RunRow(
            Instant at,
            String action,
            String kind,
            String version,
            String script,
            String by,
            Long job,
            Long release,
            String error,
            String note) {

        static RunRow of(MigrationRun run) {
            return new RunRow(
                    run.doneAt,
                    run.action,
                    run.kind,
                    run.version,
                    run.script,
                    run.doneBy,
                    run.jobId,
                    run.releaseId,
                    run.error,
                    // What happened beyond the script's name: why a deferred one was forgotten, what a baseline took.
                    run.action() == MigrationRun.Action.FORGOTTEN || run.action() == MigrationRun.Action.BASELINE
                            ? run.description
                            : null);
        }
    }

    /** An environment's migrations; {@code error} says why the database could not be read, when it could not. */
    public record MigrationStatus(
            String environment,
            String database,
            String error,
            Long release,
            String component,
            String componentVersion,
            List<MigrationRow> migrations,
            List<RunRow> recent) {

        public long count(String state) {
            return migrations.stream().filter(m -> m.state().equals(state)).count();
        }
    }

    /** One migration in a plan. */
    public record PlannedMigration(String version, String description, String script, boolean reversible) {}

    /**
     * The database part of a deploy plan: what will be undone, applied, deferred; which migrations cannot be undone
     * later; and what forbids the deploy. {@code error} is set when the database could not be read.
     */
    public record MigrationPlanView(
            String component,
            String database,
            List<PlannedMigration> undo,
            List<PlannedMigration> apply,
            List<PlannedMigration> deferred,
            List<String> irreversible,
            List<String> blockers,
            String error,
            String pending) {

        static MigrationPlanView none() {
            return new MigrationPlanView(null, null, List.of(), List.of(), List.of(), List.of(), List.of(), null, null);
        }

        /** The migrations cannot be known yet: the artifact is downloaded by the deploy job, never by a page view. */
        static MigrationPlanView pending(String component, String why) {
            return new MigrationPlanView(
                    component, null, List.of(), List.of(), List.of(), List.of(), List.of(), null, why);
        }
    }

    /** One object that differs between the live schema and the reference; {@code live}/{@code reference} null where absent. */
    public record DriftItem(String object, String live, String reference) {}

    /**
     * A drift check: objects only live (made by hand), only in the reference (dropped by hand), or different;
     * {@code notes} say what the reference could not include; {@code error} why the check could not run.
     */
    public record DriftReport(
            String environment,
            Instant checkedAt,
            String checkedBy,
            boolean clean,
            int replayed,
            List<DriftItem> onlyLive,
            List<DriftItem> onlyReference,
            List<DriftItem> different,
            List<String> notes,
            String error) {}
}
