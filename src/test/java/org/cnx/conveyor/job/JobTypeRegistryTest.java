package org.cnx.conveyor.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.cnx.conveyor.environment.Environment;
import org.cnx.conveyor.job.JobType.Permit;
import org.cnx.conveyor.job.JobType.Release;
import org.junit.jupiter.api.Test;

/** Each job type declares how it is queued: its release, its permission checks, its refusals, its audit row. */
class JobTypeRegistryTest {

    @Test
    void deploysAndRollbacksPassEveryCheckAndRetriesThePermissionCheck() {
        assertThat(JobType.DEPLOY.permit()).isEqualTo(Permit.CHECKED);
        assertThat(JobType.ROLLBACK.permit()).isEqualTo(Permit.CHECKED);
        assertThat(JobType.RETRY_ROLLBACK.permit()).isEqualTo(Permit.PERMITTED);
        assertThat(Arrays.stream(JobType.values()).filter(t -> t.permit() == Permit.NONE))
                .containsExactlyInAnyOrder(
                        JobType.MIGRATE,
                        JobType.DEFERRED_MIGRATE,
                        JobType.TEARDOWN,
                        JobType.RESET_DATA,
                        JobType.BUILD,
                        JobType.RUNBOOK,
                        JobType.SNAPSHOT);
    }

    @Test
    void eachTypeTakesItsReleaseFromWhereItsWorkNeedsIt() {
        assertThat(JobType.DEPLOY.release()).isEqualTo(Release.GIVEN);
        assertThat(JobType.DEFERRED_MIGRATE.release()).isEqualTo(Release.GIVEN);
        assertThat(JobType.ROLLBACK.release()).isEqualTo(Release.PREVIOUS);
        assertThat(JobType.RETRY_ROLLBACK.release()).isEqualTo(Release.LIVE);
        assertThat(JobType.MIGRATE.release()).isEqualTo(Release.LIVE);
        assertThat(JobType.RESET_DATA.release()).isEqualTo(Release.LIVE);
        assertThat(JobType.TEARDOWN.release()).isEqualTo(Release.LIVE_IF_ANY);
        assertThat(JobType.BUILD.release()).as("a build makes its release").isEqualTo(Release.NONE);
        assertThat(JobType.SNAPSHOT.release())
                .as("a database without a release can be copied")
                .isEqualTo(Release.LIVE_IF_ANY);
    }

    @Test
    void aRollbackOnAProtectedEnvironmentIsAuditedAsAnEmergency() {
        assertThat(JobType.ROLLBACK.emergencyWhenProtected()).isTrue();
        assertThat(JobType.ROLLBACK.auditAction(false)).isEqualTo("rollback.requested");
        assertThat(JobType.ROLLBACK.auditAction(true)).isEqualTo("rollback.emergency");
        assertThat(JobType.ROLLBACK.reason(environment("prod"), new LiveRelease(7L, 4L), true))
                .isEqualTo("emergency rollback to release 4");
        assertThat(JobType.ROLLBACK.reason(environment("dev"), new LiveRelease(7L, 4L), false))
                .isEqualTo("rollback to release 4");
    }

    @Test
    void onlyDeploysAndRollbacksWriteTheirOwnAuditRowAndOnlyRollbacksHaveEmergencies() {
        assertThat(JobType.DEPLOY.auditAction(false)).isEqualTo("deploy.requested");
        assertThat(JobType.DEPLOY.emergencyWhenProtected()).isFalse();
        assertThat(Arrays.stream(JobType.values()).filter(t -> t.auditAction(false) != null))
                .containsExactlyInAnyOrder(JobType.DEPLOY, JobType.ROLLBACK);
    }

    @Test
    void deploysRollbacksAndBuildsJoinTheCallersTransactionSoWhatAsksForThemCommitsWithThem() {
        assertThat(Arrays.stream(JobType.values()).filter(JobType::joinsCallerTransaction))
                .containsExactlyInAnyOrder(JobType.DEPLOY, JobType.ROLLBACK, JobType.BUILD, JobType.RUNBOOK);
    }

    @Test
    void aTeardownIsRefusedForAnEnvironmentWithItsOwnFile() {
        assertThat(JobType.TEARDOWN.refusal(environment("prod"))).contains("comes from its own file");
        Environment preview = environment("pr-7");
        preview.definitionFile = "environments/templates/preview.yml";
        assertThat(JobType.TEARDOWN.refusal(preview)).isNull();
    }

    @Test
    void aRetryIsRefusedUnlessTheEnvironmentIsDegradedWithACommittedRelease() {
        Environment env = environment("dev");
        assertThat(JobType.RETRY_ROLLBACK.refusal(env)).contains("is not degraded");
        env.markDegraded(12, "host a: failed");
        assertThat(JobType.RETRY_ROLLBACK.refusal(env)).contains("has no committed release");
        env.commitLive(5);
        env.markDegraded(12, "host a: failed");
        assertThat(JobType.RETRY_ROLLBACK.refusal(env)).isNull();
        assertThat(JobType.RETRY_ROLLBACK.reason(env, LiveRelease.NONE, false))
                .isEqualTo("retry the rollback of job 12");
    }

    @Test
    void typesWithoutPreconditionsRefuseNothingAndMigrationsNameWhatTheyDo() {
        Environment env = environment("dev");
        assertThat(JobType.DEPLOY.refusal(env)).isNull();
        assertThat(JobType.MIGRATE.refusal(env)).isNull();
        assertThat(JobType.MIGRATE.reason(env, LiveRelease.NONE, false)).isEqualTo("run pending migrations");
        assertThat(JobType.RESET_DATA.reason(env, LiveRelease.NONE, false)).isEqualTo("reset data");
        assertThat(JobType.SNAPSHOT.reason(env, LiveRelease.NONE, false))
                .isEqualTo("take a scrubbed snapshot of the database");
        assertThat(JobType.DEPLOY.reason(env, LiveRelease.NONE, false)).isNull();
    }

    @Test
    void typeIdsRoundTrip() {
        for (JobType type : JobType.values()) {
            assertThat(JobType.parse(type.id())).isEqualTo(type);
        }
        assertThat(JobType.RETRY_ROLLBACK.id()).isEqualTo("retry-rollback");
    }

    private static Environment environment(String name) {
        Environment env = new Environment();
        env.name = name;
        env.definitionFile = "environments/" + name + ".yml";
        return env;
    }
}
