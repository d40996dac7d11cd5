package org.cnx.conveyor.clone;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.common.DomainException.Conflict;
import org.cnx.conveyor.common.DomainException.Forbidden;
import org.cnx.conveyor.common.DomainException.NotFound;
import org.cnx.conveyor.common.Subjects;
import org.cnx.conveyor.environment.Environment;
import org.cnx.conveyor.environment.EnvironmentDestroyed;
import org.cnx.conveyor.job.JobOrder;
import org.cnx.conveyor.job.JobService;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.job.JobViews.JobSummary;
import org.cnx.conveyor.job.LiveReleases;
import org.cnx.conveyor.preview.TemplateEnvironments;
import org.cnx.conveyor.release.ReleaseService;

/**
 * Personal clones: create one ({@code dev-<user>}) within the quota and deploy a release to it, deploy another, reset
 * its data, tear it down. A developer acts on their own clones only; an admin on anyone's.
 */
@ApplicationScoped
public class CloneService {

    private static final Pattern ENVIRONMENT_SAFE = Pattern.compile("[a-z][a-z0-9-]{0,55}");
    private static final Pattern TEMPLATE_USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

    /** Who asks: their user name, whether they are an admin, and their address for the audit log. */
    public record Actor(String name, boolean admin, String address) {}

    /** A clone and the job just queued for it. */
    public record Started(String environment, long job) {}

    private final CloneConfig config;
    private final TemplateEnvironments templates;
    private final JobService jobs;
    private final LiveReleases live;
    private final ReleaseService releases;
    private final AuditLog audit;

    CloneService(
            CloneConfig config,
            TemplateEnvironments templates,
            JobService jobs,
            LiveReleases live,
            ReleaseService releases,
            AuditLog audit) {
        this.live = live;
        this.releases = releases;
        this.config = config;
        this.templates = templates;
        this.jobs = jobs;
        this.audit = audit;
    }

    /** Creates the actor's clone and deploys {@code release} to it, or the latest release live in the clone stage. */
    public Started create(Actor actor, Long release) {
        long target = release != null
                ? release
                : QuarkusTransaction.requiringNew()
                        .call(() -> live.latestInStage(config.stage()))
                        .orElseThrow(() -> new Conflict(
                                "no release has succeeded in the " + config.stage() + " stage yet; pick one"));
        releases.get(target);
        String environment = QuarkusTransaction.requiringNew().call(() -> {
            if (Clone.countLive(actor.name()) >= config.quota()) {
                throw new Conflict("you have " + config.quota() + " clone(s) already, the most allowed "
                        + "(conveyor.clones.quota); tear one down first");
            }
            String name = freeName(actor.name());
            String user =
                    TEMPLATE_USER.matcher(actor.name()).matches() ? actor.name() : name.substring("dev-".length());
            Environment env = templates.create(config.template(), Map.of("name", name, "user", user));
            Clone.of(actor.name(), env.name).persist();
            audit.record(
                    actor.name(),
                    actor.address(),
                    "clone.created",
                    Subjects.environment(env.name),
                    "release " + target);
            return env.name;
        });
        return new Started(
                environment,
                jobs.submit(JobOrder.of(JobType.DEPLOY, environment, actor.name())
                                .release(target))
                        .id());
    }

    /** Deploys another release to a clone. */
    public Started deploy(Actor actor, String environment, Long release) {
        owned(actor, environment);
        JobSummary job = jobs.submit(
                JobOrder.of(JobType.DEPLOY, environment, actor.name()).release(release));
        touch(actor, environment, "clone.deploy", "release " + release + " (job " + job.id() + ")");
        return new Started(environment, job.id());
    }

    /** Recreates the clone's database from the live release's migrations. */
    public Started resetData(Actor actor, String environment) {
        owned(actor, environment);
        JobSummary job = jobs.submit(JobOrder.of(JobType.RESET_DATA, environment, actor.name()));
        touch(actor, environment, "clone.reset", "job " + job.id());
        return new Started(environment, job.id());
    }

    /** Queues the clone's teardown. */
    public Started tearDown(Actor actor, String environment) {
        owned(actor, environment);
        return tearDown(environment, actor.name(), actor.address(), "torn down by " + actor.name());
    }

    Started tearDown(String environment, String by, String address, String why) {
        JobSummary job =
                jobs.submit(JobOrder.of(JobType.TEARDOWN, environment, by).reason(why));
        QuarkusTransaction.requiringNew().run(() -> {
            Clone.live(environment).orElseThrow().tearingDown();
            audit.record(
                    by, address, "clone.teardown", Subjects.environment(environment), why + " (job " + job.id() + ")");
        });
        return new Started(environment, job.id());
    }

    /** The teardown's commit transaction: the clone is gone. */
    @Transactional(Transactional.TxType.MANDATORY)
    void onDestroyed(@Observes EnvironmentDestroyed destroyed) {
        Clone.live(destroyed.environment()).ifPresent(clone -> {
            clone.tornDown();
            audit.record(
                    "conveyor",
                    null,
                    "clone.torn_down",
                    Subjects.environment(clone.environment),
                    "clone of " + clone.owner + " (job " + destroyed.jobId() + ")");
        });
    }

    /** When an idle clone is torn down. */
    public Instant idleDeadline(Instant lastActive) {
        return lastActive.plus(config.idleTimeout());
    }

    /** True when the idle teardown is near enough to warn the owner. */
    public boolean idleWarning(Instant lastActive) {
        return Instant.now().isAfter(idleDeadline(lastActive).minus(config.warnBefore()));
    }

    private void owned(Actor actor, String environment) {
        Clone clone = QuarkusTransaction.requiringNew()
                .call(() -> Clone.live(environment))
                .orElseThrow(() -> new NotFound("no clone named \"" + environment + "\""));
        if (!CloneOwnership.mayActOn(clone, actor.name(), actor.admin())) {
            throw new Forbidden("clone " + environment + " belongs to " + clone.owner);
        }
        if (clone.status() != CloneStatus.ACTIVE) {
            throw new Conflict("clone " + environment + " is being torn down");
        }
    }

    private void touch(Actor actor, String environment, String action, String detail) {
        QuarkusTransaction.requiringNew().run(() -> {
            Clone.live(environment).orElseThrow().touch();
            audit.record(actor.name(), actor.address(), action, Subjects.environment(environment), detail);
        });
    }

    /** {@code dev-<user>}, then {@code dev-<user>-2}, … (user names are made safe for environment names). */
    private static String freeName(String user) {
        String safe = user.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        if (!ENVIRONMENT_SAFE.matcher(safe).matches()) {
            throw new Conflict("user name \"" + user + "\" cannot be part of an environment name");
        }
        String name = "dev-" + safe;
        for (int n = 2; Environment.findByName(name).isPresent(); n++) {
            name = "dev-" + safe + "-" + n;
        }
        return name;
    }
}
