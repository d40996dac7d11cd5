package org.cnx.conveyor.runbook;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.cnx.conveyor.environment.definition.RunbookSpec;
import org.cnx.conveyor.job.JobHandler;
import org.cnx.conveyor.job.JobSecrets;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.job.Phase;
import org.cnx.conveyor.job.RunningJob;
import org.cnx.conveyor.secret.SecretCipher;
import org.cnx.conveyor.secret.SecretService;
import org.cnx.conveyor.transport.Connector;
import org.cnx.conveyor.transport.HostConnection;
import org.cnx.conveyor.transport.OutputSink;
import org.cnx.conveyor.transport.Shell;
import org.cnx.conveyor.transport.TransportException;

/**
 * Runs a runbook's command on every host of its roles, in the host's root, with the parameters as environment
 * variables: all hosts at once, or one after another stopping at the first failure. Each host is a journal step.
 */
@ApplicationScoped
class RunbookHandler implements JobHandler {

    /** How long one host's command may run. */
    private static final Duration TIMEOUT = Duration.ofHours(1);

    private static final String COMPONENT = "runbook";

    private final EnvironmentService environments;
    private final Connector connector;
    private final SecretService secrets;
    private final JobSecrets jobSecrets;
    private final ObjectMapper json;
    private final SecretCipher cipher;
    private final RunbookEvents events;
    private final DatabaseCopy copy;

    RunbookHandler(
            EnvironmentService environments,
            Connector connector,
            SecretService secrets,
            JobSecrets jobSecrets,
            ObjectMapper json,
            SecretCipher cipher,
            RunbookEvents events,
            DatabaseCopy copy) {
        this.copy = copy;
        this.cipher = cipher;
        this.events = events;
        this.environments = environments;
        this.connector = connector;
        this.secrets = secrets;
        this.jobSecrets = jobSecrets;
        this.json = json;
    }

    @Override
    public Set<JobType> types() {
        return EnumSet.of(JobType.RUNBOOK);
    }

    /** A runbook is not known to be safe to run twice: a run its Conveyor lost is reported, not repeated. */
    @Override
    public void recover(RunningJob job) {
        String done = String.join(
                ", ",
                job.steps().stream()
                        .filter(s -> s.state() == org.cnx.conveyor.job.JobStep.State.DONE)
                        .map(s -> s.host)
                        .toList());
        fail(
                job,
                QuarkusTransaction.requiringNew().call(() -> RunbookRun.<RunbookRun>findById(job.id())),
                "Conveyor stopped while this runbook ran; finished on: " + (done.isEmpty() ? "no host" : done)
                        + ". Run it again if that is safe");
    }

    @Override
    public void run(RunningJob job) {
        EnvironmentDefinition definition =
                QuarkusTransaction.requiringNew().call(() -> environments.definition(job.environment()));
        RunbookRun run = QuarkusTransaction.requiringNew().call(() -> RunbookRun.<RunbookRun>findById(job.id()));
        Map<String, String> shown;
        Map<String, String> secret;
        try {
            shown = run == null ? Map.of() : read(run.parameters);
            secret = run == null || run.secretsNonce == null
                    ? Map.of()
                    : read(cipher.open(
                            RunbookRun.sealName(job.id()),
                            new SecretCipher.Sealed(run.secretsNonce, run.secretsCiphertext)));
        } catch (IOException | RuntimeException e) {
            fail(job, run, "the parameters of this run cannot be read: " + e.getMessage());
            return;
        }
        // Set before anything runs: a command that echoes a secret input shows **** in the log.
        List<String> missing = jobSecrets.mask(job, definition, secret.values());
        if (!missing.isEmpty()) {
            fail(job, run, JobSecrets.missingMessage(missing));
            return;
        }
        RunbookSpec spec = run == null ? null : definition.runbooks().get(run.runbook);
        if (spec == null) {
            fail(job, run, "the runbook of this job is no longer in " + job.environment() + "'s definition");
            return;
        }
        Map<String, String> parameters = new LinkedHashMap<>(shown);
        parameters.putAll(secret);
        job.journal().phase(job.id(), Phase.RUN);
        List<String> failures =
                spec.copiesDatabase() ? copy.run(job, definition, spec) : onHosts(job, spec, definition, parameters);
        if (failures.isEmpty()) {
            job.log().info("succeeded");
            job.finish(j -> {
                j.succeed();
                events.finished(job.id(), job.environment(), run.runbook, job.requestedBy(), shown, null);
            });
        } else {
            fail(job, run, String.join("; ", failures));
        }
    }

    private List<String> onHosts(
            RunningJob job, RunbookSpec spec, EnvironmentDefinition definition, Map<String, String> parameters) {
        List<Host> hosts = definition.hosts().stream()
                .filter(h -> spec.roles().stream().anyMatch(h::hasRole))
                .toList();
        job.log()
                .info("runbook " + spec.name() + " on " + hosts.size() + " host(s)"
                        + (spec.oneAtATime() ? ", one at a time" : ", all at once") + ": " + spec.command());
        return spec.oneAtATime() ? oneAtATime(job, spec, hosts, parameters) : allAtOnce(job, spec, hosts, parameters);
    }

    private Map<String, String> read(String text) throws IOException {
        return json.readValue(text, new TypeReference<LinkedHashMap<String, String>>() {});
    }

    private List<String> oneAtATime(
            RunningJob job, RunbookSpec spec, List<Host> hosts, Map<String, String> parameters) {
        for (int i = 0; i < hosts.size(); i++) {
            String failure = onHost(job, spec, hosts.get(i), parameters);
            if (failure != null) {
                List<String> rest = hosts.subList(i + 1, hosts.size()).stream()
                        .map(Host::name)
                        .toList();
                if (!rest.isEmpty()) {
                    job.log()
                            .info("not run on " + String.join(", ", rest) + ": "
                                    + hosts.get(i).name() + " failed");
                }
                return List.of(failure);
            }
        }
        return List.of();
    }

    private List<String> allAtOnce(RunningJob job, RunbookSpec spec, List<Host> hosts, Map<String, String> parameters) {
        List<CompletableFuture<String>> runs = hosts.stream()
                .map(host -> CompletableFuture.supplyAsync(() -> onHost(job, spec, host, parameters)))
                .toList();
        List<String> failures = new ArrayList<>();
        runs.forEach(r -> {
            String failure = r.join();
            if (failure != null) {
                failures.add(failure);
            }
        });
        return failures;
    }

    /** Runs the command on one host, journaled; returns why it failed, or null. */
    private String onHost(RunningJob job, RunbookSpec spec, Host host, Map<String, String> parameters) {
        long step = job.journal().begin(job.id(), Phase.RUN, host.name(), COMPONENT, spec.name(), null);
        OutputSink sink = (stream, line) ->
                job.log().append(host.name(), COMPONENT, stream.name().toLowerCase(), line);
        try (HostConnection connection = connector.connect(
                host.endpoint(), name -> QuarkusTransaction.requiringNew().call(() -> secrets.reveal(name)))) {
            String command = Shell.inDirectory(host.absoluteRoot(), parameters, spec.command());
            int exit =
                    connection.exec("mkdir -p " + Shell.quote(host.absoluteRoot()) + " && " + command, TIMEOUT, sink);
            if (exit != 0) {
                String why = host.name() + ": exited with status " + exit;
                job.journal().failed(job.id(), step, why);
                return why;
            }
            job.journal().done(job.id(), step, "exit 0");
            return null;
        } catch (TransportException e) {
            String why = host.name() + ": " + e.getMessage();
            job.journal().failed(job.id(), step, why);
            return why;
        }
    }

    /** Ends the job failed, with {@code runbook.failed} when the run is known. */
    private void fail(RunningJob job, RunbookRun run, String why) {
        job.log().info("failed: " + why);
        job.finish(j -> {
            j.fail(why);
            if (run != null) {
                Map<String, String> shown;
                try {
                    shown = read(run.parameters);
                } catch (IOException e) {
                    shown = Map.of();
                }
                events.finished(job.id(), job.environment(), run.runbook, job.requestedBy(), shown, why);
            }
        });
    }
}
