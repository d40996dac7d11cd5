package org.cnx.conveyor.clone;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.cluster.OnceAcrossInstances;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.environment.EnvironmentViews.EnvironmentSummary;
import org.cnx.conveyor.job.JobService;
import org.cnx.conveyor.job.JobViews.JobSummary;
import org.jboss.logging.Logger;

/** Lists clones with their environment's state, and tears down the idle ones. */
@ApplicationScoped
public class CloneQueries {

    private static final Logger LOG = Logger.getLogger(CloneQueries.class);

    private final CloneService clones;
    private final CloneConfig config;
    private final EnvironmentService environments;
    private final JobService jobs;

    CloneQueries(CloneService clones, CloneConfig config, EnvironmentService environments, JobService jobs) {
        this.clones = clones;
        this.config = config;
        this.environments = environments;
        this.jobs = jobs;
    }

    /** The live clones of one owner, or everyone's for a null owner. */
    public List<CloneView> list(String owner) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<String, JobSummary> latest = jobs.latestByEnvironment();
            return Clone.liveOf(owner).stream()
                    .map(clone -> {
                        EnvironmentSummary env =
                                environments.get(clone.environment).summary();
                        return new CloneView(
                                clone.environment,
                                clone.owner,
                                clone.status().id(),
                                env.url(),
                                env.currentRelease(),
                                latest.get(clone.environment),
                                clone.lastActiveAt,
                                clones.idleDeadline(clone.lastActiveAt),
                                clones.idleWarning(clone.lastActiveAt));
                    })
                    .toList();
        });
    }

    @OnceAcrossInstances
    @Scheduled(every = "${conveyor.clones.sweep-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tearDownIdle() {
        Instant before = Instant.now().minus(config.idleTimeout());
        for (Clone clone : QuarkusTransaction.requiringNew().call(() -> Clone.idleSince(before))) {
            try {
                LOG.infof(
                        "Clone %s of %s is idle since %s; tearing it down",
                        clone.environment, clone.owner, clone.lastActiveAt);
                clones.tearDown(clone.environment, "conveyor", null, "idle since " + clone.lastActiveAt);
            } catch (RuntimeException e) {
                LOG.warnf("Cannot tear down the idle clone %s: %s", clone.environment, e.getMessage());
            }
        }
    }
}
