package org.cnx.conveyor.environment;

import org.cnx.conveyor.common.DomainException.NotFound;
import org.cnx.conveyor.audit.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.cnx.conveyor.common.ConveyorConfig;
import org.cnx.conveyor.environment.EnvironmentViews.EnvironmentDetail;
import org.cnx.conveyor.environment.EnvironmentViews.EnvironmentSummary;
import org.cnx.conveyor.environment.EnvironmentViews.StageGroup;
import org.cnx.conveyor.environment.EnvironmentViews.SyncResult;
import org.cnx.conveyor.environment.definition.DefinitionDirectory;
import org.cnx.conveyor.environment.definition.DefinitionParser;
import org.cnx.conveyor.environment.definition.DefinitionProblem;
import org.cnx.conveyor.environment.definition.DirectoryLoad;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.environment.definition.LoadedDefinition;
import org.cnx.conveyor.environment.definition.ParseResult;
import org.cnx.conveyor.events.EventPublisher;
import org.cnx.conveyor.events.EventType;
import org.cnx.conveyor.secret.SecretService;

/** Loads definition files into the database (keeping the last good copy of a broken file) and answers questions about environments. */
@ApplicationScoped
@Transactional
public class EnvironmentService {

    private final ConveyorConfig config;
    private final SecretService secrets;
    private final EventPublisher events;
    private final EnvironmentLifecycle lifecycle;
    private final Map<String, EnvironmentDefinition> parsedBySha = new ConcurrentHashMap<>();

    private final AuditLog audit;

    EnvironmentService(ConveyorConfig config, SecretService secrets, EventPublisher events, EnvironmentLifecycle lifecycle,
            AuditLog audit) {
        this.audit = audit;
        this.config = config;
        this.secrets = secrets;
        this.events = events;
        this.lifecycle = lifecycle;
    }

    public Path environmentsDir() {
        return Path.of(config.environmentsDir()).toAbsolutePath().normalize();
    }

    /** Reloads every file; valid ones replace their loaded copy, broken ones leave it alone and are reported. */
    public SyncResult sync() {
        Path dir = environmentsDir();
        DirectoryLoad load = DefinitionDirectory.load(dir);
        List<String> names = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (LoadedDefinition loaded : load.definitions()) {
            if (loaded.example()) {
                continue;
            }
            names.add(loaded.definition().name());
            if (upsert(loaded)) {
                changed.add(loaded.definition().name());
            }
        }
        List<DefinitionProblem> problems = new ArrayList<>(load.problems());
        for (Environment env : Environment.listByName()) {
            if (env.fromTemplate() || names.contains(env.name)) {
                continue;
            }
            boolean missing = !Files.exists(dir.getParent().resolve(env.definitionFile));
            env.fileMissing = missing;
            if (missing) {
                problems.add(new DefinitionProblem(env.definitionFile, 1, 1, "(file)",
                        "the file is gone; keeping the copy of environment \"" + env.name + "\" loaded at " + env.loadedAt));
            }
        }
        DefinitionProblemRecord.deleteAll();
        problems.forEach(p -> DefinitionProblemRecord.of(p).persist());
        audit.record("definitions.synced", "environments", names.size() + " definition(s) loaded"
                + (changed.isEmpty() ? "" : ", changed: " + String.join(", ", changed))
                + (problems.isEmpty() ? "" : ", " + problems.size() + " problem(s)"));
        return SyncResult.of(names, changed, problems);
    }

    private boolean upsert(LoadedDefinition loaded) {
        EnvironmentDefinition definition = loaded.definition();
        Optional<Environment> existing = Environment.findByName(definition.name());
        Environment env = existing.orElseGet(Environment::new);
        boolean changed = existing.isEmpty() || !loaded.sha256().equals(env.definitionSha256) || env.fileMissing;
        if (changed) {
            env.name = definition.name();
            env.kind = definition.kind().yamlName();
            env.stage = definition.stage();
            env.definitionFile = loaded.file();
            env.definitionText = loaded.text();
            env.definitionSha256 = loaded.sha256();
            env.loadedAt = Instant.now();
            env.fileMissing = false;
            if (existing.isEmpty()) {
                env.persist();
                lifecycle.created(env);
            }
        }
        return changed;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<DefinitionProblem> problems() {
        return DefinitionProblemRecord.<DefinitionProblemRecord>list("order by file, line, column")
                .stream().map(DefinitionProblemRecord::toProblem).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<EnvironmentSummary> list() {
        return Environment.listByName().stream().map(env -> EnvironmentSummary.of(env, definition(env))).toList();
    }

    /** Environments grouped by stage, in pipeline order; stages not in the pipeline come last. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<StageGroup> byStage() {
        Map<String, List<EnvironmentSummary>> groups = new LinkedHashMap<>();
        config.stages().forEach(stage -> groups.put(stage, new ArrayList<>()));
        list().forEach(env -> groups.computeIfAbsent(env.stage(), s -> new ArrayList<>()).add(env));
        return groups.entrySet().stream()
                .filter(e -> !e.getValue().isEmpty() || config.stages().contains(e.getKey()))
                .map(e -> new StageGroup(e.getKey(), e.getValue())).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public EnvironmentDetail get(String name) {
        Environment env = Environment.findByName(name)
                .orElseThrow(() -> new NotFound("no environment named \"" + name + "\""));
        EnvironmentDefinition definition = definition(env);
        Set<String> missing = new LinkedHashSet<>();
        definition.secretNames().stream().filter(s -> !secrets.exists(s)).forEach(missing::add);
        return new EnvironmentDetail(EnvironmentSummary.of(env, definition), env.definitionSha256, definition,
                env.definitionText, missing);
    }

    /** The parsed definition of an environment's loaded copy (parsed once per checksum). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public EnvironmentDefinition definition(String name) {
        return definition(Environment.findByName(name)
                .orElseThrow(() -> new NotFound("no environment named \"" + name + "\"")));
    }

    private EnvironmentDefinition definition(Environment env) {
        return parsedBySha.computeIfAbsent(env.definitionSha256, sha -> {
            DefinitionParser parser = new DefinitionParser();
            ParseResult result = env.fromTemplate()
                    ? parser.parseRendered(env.definitionFile, env.definitionText)
                    : parser.parse(env.definitionFile, env.definitionText);
            return result.definition().orElseThrow(() -> new IllegalStateException(
                    "the stored copy of " + env.name + " no longer parses: " + result.problems()));
        });
    }

    /** The release live in the environment, as last committed. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Long> liveRelease(long environmentId) {
        return Optional.ofNullable(Environment.<Environment>findById(environmentId).currentReleaseId);
    }

    /** Commits a release as live (under a row lock, within the caller's transaction); returns the one it replaces. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Long recordLiveRelease(long environmentId, long releaseId) {
        Environment env = Environment.findById(environmentId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        Long previous = env.currentReleaseId;
        env.currentReleaseId = releaseId;
        env.markHealthy();
        return previous;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void markDegraded(long environmentId, long jobId, String hostStates) {
        Environment env = Environment.findById(environmentId);
        env.markDegraded(jobId, hostStates);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("environment", env.name);
        data.put("job", jobId);
        data.put("hosts", hostStates);
        events.publish(EventType.ENVIRONMENT_DEGRADED, "environments/" + env.name, env.name, data);
    }

    /** Sets (or, with a null text, clears) the environment's warning, naming the job it came from. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void warn(long environmentId, Long jobId, String text) {
        Environment env = Environment.findById(environmentId);
        env.warning = text;
        env.warningJobId = text == null ? null : jobId;
    }

    /** Locks the environment's row for the caller's transaction (jobs are created under it) and returns its id. */
    @Transactional(Transactional.TxType.MANDATORY)
    public long lockForJob(String name) {
        return locked(name).id;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Environment byId(long id) {
        return Environment.findById(id);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Environment byName(String name) {
        return Environment.findByName(name)
                .orElseThrow(() -> new NotFound("no environment named \"" + name + "\""));
    }

    /** The environment, locked for the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Environment locked(String name) {
        Environment env = byName(name);
        Environment.getEntityManager().lock(env, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        return env;
    }
}
