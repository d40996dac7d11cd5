package org.cnx.conveyor.runbook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.common.DomainException.Forbidden;
import org.cnx.conveyor.common.DomainException.Invalid;
import org.cnx.conveyor.common.DomainException.NotFound;
import org.cnx.conveyor.common.Role;
import org.cnx.conveyor.common.Subjects;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.environment.definition.RunbookSpec;
import org.cnx.conveyor.environment.definition.RunbookSpec.Parameter;
import org.cnx.conveyor.job.JobOrder;
import org.cnx.conveyor.job.JobService;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.job.JobViews.JobSummary;
import org.cnx.conveyor.secret.SecretCipher;

/** Starts runbooks: who may, which parameters, the confirmation phrase; each run is a job. */
@ApplicationScoped
public class Runbooks {

    /** What a secret parameter's value is shown as. */
    static final String MASK = "****";

    private final EnvironmentService environments;
    private final JobService jobs;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final SecretCipher cipher;
    private final RunbookEvents events;

    Runbooks(
            EnvironmentService environments,
            JobService jobs,
            AuditLog audit,
            ObjectMapper json,
            SecretCipher cipher,
            RunbookEvents events) {
        this.cipher = cipher;
        this.events = events;
        this.environments = environments;
        this.jobs = jobs;
        this.audit = audit;
        this.json = json;
    }

    public List<RunbookSpec> of(String environment) {
        return List.copyOf(environments.definition(environment).runbooks().values());
    }

    /** Whether a database copy into the environment takes a lead (see {@link #start}). */
    public boolean isProtected(String environment) {
        return environments.definition(environment).isProtected();
    }

    public RunbookSpec spec(String environment, String name) {
        RunbookSpec spec = environments.definition(environment).runbooks().get(name);
        if (spec == null) {
            throw new NotFound("environment \"" + environment + "\" has no runbook \"" + name + "\"");
        }
        return spec;
    }

    /** Validates everything before anything runs, then queues the run as a job. */
    public JobSummary start(
            String environment, String name, Map<String, String> given, String confirm, SecurityIdentity caller) {
        RunbookSpec spec = spec(environment, name);
        if (!caller.hasRole(spec.role().name().toLowerCase(java.util.Locale.ROOT))) {
            throw new Forbidden("runbook " + name + " of " + environment + " needs the "
                    + spec.role().name().toLowerCase(java.util.Locale.ROOT) + " role");
        }
        if (spec.copiesDatabase()
                && environments.definition(environment).isProtected()
                && !caller.hasRole(Role.LEAD_NAME)) {
            // Replacing a database is at least as strong as deploying there: a protected one takes a lead.
            throw new Forbidden("runbook " + name + " replaces the database of " + environment
                    + ", which is protected: it needs the lead role");
        }
        if (spec.confirm().isPresent() && !spec.confirm().get().equals(confirm)) {
            throw new Invalid("confirm: type \"" + spec.confirm().get() + "\" to run runbook " + name);
        }
        Map<String, String> parameters = parameters(spec, given == null ? Map.of() : given);
        return queue(environment, spec, parameters, caller.getPrincipal().getName(), "runbook " + name);
    }

    /** A firing of a scheduled runbook: as Conveyor itself, with the parameters' defaults. */
    JobSummary startScheduled(String environment, RunbookSpec spec, java.time.Instant firing) {
        return queue(
                environment,
                spec,
                parameters(spec, Map.of()),
                AuditLog.CONVEYOR,
                "scheduled runbook " + spec.name() + " (" + firing + ")");
    }

    private JobSummary queue(
            String environment, RunbookSpec spec, Map<String, String> parameters, String by, String why) {
        String name = spec.name();
        Map<String, String> shown = masked(spec, parameters);
        Map<String, String> secret = new LinkedHashMap<>(parameters);
        secret.keySet().retainAll(secretNames(spec));
        String text = write(shown);
        return QuarkusTransaction.requiringNew().call(() -> {
            JobSummary job =
                    jobs.submit(JobOrder.of(JobType.RUNBOOK, environment, by).reason(why + " " + text));
            RunbookRun run = new RunbookRun();
            run.jobId = job.id();
            run.runbook = name;
            run.parameters = text;
            if (!secret.isEmpty()) {
                SecretCipher.Sealed sealed = cipher.seal(RunbookRun.sealName(job.id()), write(secret));
                run.secretsNonce = sealed.nonce();
                run.secretsCiphertext = sealed.ciphertext();
            }
            run.persist();
            audit.record(
                    by, "runbook.started", Subjects.environment(environment), name + " " + text + ", job #" + job.id());
            events.started(job.id(), environment, name, by, shown);
            return job;
        });
    }

    /** The parameters as they may be shown: secret ones as {@code ****}. */
    static Map<String, String> masked(RunbookSpec spec, Map<String, String> parameters) {
        Map<String, String> shown = new LinkedHashMap<>(parameters);
        secretNames(spec).forEach(n -> shown.computeIfPresent(n, (k, v) -> MASK));
        return shown;
    }

    private static java.util.Set<String> secretNames(RunbookSpec spec) {
        return spec.parameters().values().stream()
                .filter(Parameter::secret)
                .map(Parameter::name)
                .collect(java.util.stream.Collectors.toSet());
    }

    /** The values to run with: given ones checked against their types, defaults for the rest; unknown names refused. */
    static Map<String, String> parameters(RunbookSpec spec, Map<String, String> given) {
        List<String> problems = new ArrayList<>();
        given.keySet().stream()
                .filter(name -> !spec.parameters().containsKey(name))
                .forEach(name -> problems.add(name + ": not a parameter of runbook " + spec.name() + " (it has "
                        + (spec.parameters().isEmpty()
                                ? "none"
                                : String.join(", ", spec.parameters().keySet())) + ")"));
        Map<String, String> values = new LinkedHashMap<>();
        for (Parameter parameter : spec.parameters().values()) {
            String value = given.containsKey(parameter.name())
                    ? given.get(parameter.name())
                    : parameter.defaultValue().orElse(null);
            if (value == null) {
                if (parameter.required()) {
                    problems.add(parameter.name() + ": required");
                }
                continue;
            }
            parameter.problem(value).ifPresentOrElse(problems::add, () -> values.put(parameter.name(), value));
        }
        if (!problems.isEmpty()) {
            throw new Invalid(String.join("; ", problems));
        }
        return values;
    }

    private String write(Map<String, String> parameters) {
        try {
            return json.writeValueAsString(parameters);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
