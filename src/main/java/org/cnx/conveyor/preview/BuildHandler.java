package org.cnx.conveyor.preview;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.cnx.conveyor.common.DomainException;
import org.cnx.conveyor.job.JobHandler;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.job.Phase;
import org.cnx.conveyor.job.RunningJob;
import org.cnx.conveyor.release.ReleaseViews.ComponentPin;
import org.cnx.conveyor.transport.TransportException;

/**
 * Runs {@code build} jobs: the build command in a sandbox, then, in one transaction, the release (the dev stage's
 * release with the built components replaced), the deploy job that puts it on the build's environment and the job's
 * success. A build whose holder died is simply run again: nothing of it was committed before that transaction, and
 * what it left in its sandbox is removed first.
 */
@ApplicationScoped
class BuildHandler implements JobHandler {

    private final SandboxBuild sandbox;
    private final BuildOutcomes outcomes;

    BuildHandler(SandboxBuild sandbox, BuildOutcomes outcomes) {
        this.sandbox = sandbox;
        this.outcomes = outcomes;
    }

    @Override
    public Set<JobType> types() {
        return EnumSet.of(JobType.BUILD);
    }

    @Override
    public void recover(RunningJob job) {
        job.log().info("recovering: the Conveyor running this build stopped; building again");
        try {
            sandbox.discard(job.id());
        } catch (TransportException e) {
            fail(job, null, "cannot remove what the interrupted build left: " + e.getMessage());
            return;
        }
        run(job);
    }

    @Override
    public void run(RunningJob job) {
        Build build = QuarkusTransaction.requiringNew()
                .call(() -> Build.forJob(job.id())
                        .orElseThrow(() -> new IllegalStateException("build job " + job.id() + " has no builds row")));
        job.journal().phase(job.id(), Phase.BUILD);
        long step = job.journal().begin(job.id(), Phase.BUILD, SandboxBuild.HOST, "*", "build", build.commit);
        job.log()
                .info("building " + build.what() + " at " + build.commit
                        + (build.componentList().isEmpty() ? "" : " for " + String.join(", ", build.componentList())));
        Map<String, ComponentPin> built;
        try {
            built = sandbox.run(job.id(), build, job.log());
        } catch (SandboxBuild.BuildFailed e) {
            job.journal().failed(job.id(), step, e.getMessage());
            fail(job, build, e.getMessage());
            return;
        }
        job.journal().done(job.id(), step, "built " + String.join(", ", built.keySet()));
        if (job.cancelRequested()) {
            // Checked once the command is over, before anything is committed: a cancelled build deploys nothing.
            job.log().info("cancelled: the build's release is not made");
            job.finish(j -> j.stopCancelled("cancelled before its release was made"));
            return;
        }
        Map<String, String> versions = new LinkedHashMap<>();
        built.forEach((name, pin) -> versions.put(name, pin.version()));
        job.log().info("built " + versions);
        try {
            job.finish(j -> {
                String outcome = outcomes.succeeded(job, build.id, built);
                job.log().info(outcome);
                j.succeed();
            });
        } catch (DomainException e) {
            fail(job, build, e.getMessage());
        }
    }

    private void fail(RunningJob job, Build build, String why) {
        job.log().info("failed: " + why);
        job.finish(j -> {
            j.fail(why);
            if (build != null) {
                outcomes.failed(job.id(), build.id, why);
            }
        });
    }
}
