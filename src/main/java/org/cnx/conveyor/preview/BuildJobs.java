package org.cnx.conveyor.preview;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import org.cnx.conveyor.job.JobOrder;
import org.cnx.conveyor.job.JobService;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.job.JobViews.JobSummary;
import org.cnx.conveyor.release.ReleaseViews.Source;

/** Queues build jobs: the job and what it builds commit together, in the transaction of the delivery that asks. */
@ApplicationScoped
class BuildJobs {

    private final JobService jobs;

    BuildJobs(JobService jobs) {
        this.jobs = jobs;
    }

    /** Queues the build of {@code source} on {@code environment}, where its release is deployed once built. */
    @Transactional(Transactional.TxType.MANDATORY)
    JobSummary queue(String environment, Source source, List<String> components, Long previewId) {
        String what = source.pullRequest() != null
                ? "pull request " + source.pullRequestName()
                : source.repository() + " " + source.branch();
        JobSummary job = jobs.submit(JobOrder.of(JobType.BUILD, environment, PreviewService.ACTOR)
                .reason("build " + what + " at " + source.commit().substring(0, 12)
                        + (components.isEmpty() ? "" : " (" + String.join(", ", components) + ")")));
        Build build = Build.of(source, components, previewId);
        build.jobId = job.id();
        build.persist();
        return job;
    }
}
