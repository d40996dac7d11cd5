package org.cnx.conveyor.environment;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.cnx.conveyor.auth.Tokens;
import org.cnx.conveyor.common.ConveyorConfig;
import org.cnx.conveyor.common.DomainException.NotFound;
import org.cnx.conveyor.environment.EnvironmentViews.EnvironmentDetail;
import org.cnx.conveyor.environment.EnvironmentViews.EnvironmentSummary;
import org.cnx.conveyor.environment.EnvironmentViews.StageGroup;
import org.cnx.conveyor.environment.definition.DefinitionParser;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.environment.definition.ParseResult;
import org.cnx.conveyor.environment.definition.SharedRunbooks;
import org.cnx.conveyor.secret.SecretService;

/** Finds the loaded environments, parses their definitions (once per checksum), and locks them for jobs. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class EnvironmentService {

    private final ConveyorConfig config;
    private final SecretService secrets;
    private final Map<String, EnvironmentDefinition> parsedBySha = new ConcurrentHashMap<>();

    EnvironmentService(ConveyorConfig config, SecretService secrets) {
        this.config = config;
        this.secrets = secrets;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<EnvironmentSummary> list() {
        return Environment.listByName().stream()
                .map(env -> EnvironmentSummary.of(env, definition(env)))
                .toList();
    }

    /** The names of the environments whose stage is one of {@code stages}. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public java.util.Set<String> namesInStages(java.util.Collection<String> stages) {
        if (stages.isEmpty()) {
            return java.util.Set.of();
        }
        return Environment.<Environment>list("stage in ?1", stages).stream()
                .map(env -> env.name)
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }

    /** Environments grouped by stage, in pipeline order; stages not in the pipeline come last. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<StageGroup> byStage() {
        Map<String, List<EnvironmentSummary>> groups = new LinkedHashMap<>();
        config.stages().forEach(stage -> groups.put(stage, new ArrayList<>()));
        list().forEach(env ->
                groups.computeIfAbsent(env.stage(), s -> new ArrayList<>()).add(env));
        return groups.entrySet().stream()
                .filter(e -> !e.getValue().isEmpty() || config.stages().contains(e.getKey()))
                .map(e -> new StageGroup(e.getKey(), e.getValue()))
                .toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public EnvironmentDetail get(String name) {
        Environment env =
                Environment.findByName(name).orElseThrow(() -> new NotFound("no environment named \"" + name + "\""));
        EnvironmentDefinition definition = definition(env);
        Set<String> missing = new LinkedHashSet<>();
        definition.secretNames().stream().filter(s -> !secrets.exists(s)).forEach(missing::add);
        return new EnvironmentDetail(
                EnvironmentSummary.of(env, definition), env.definitionSha256, definition, env.definitionText, missing);
    }

    /** The parsed definition of an environment's loaded copy (parsed once per checksum). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public EnvironmentDefinition definition(String name) {
        return definition(
                Environment.findByName(name).orElseThrow(() -> new NotFound("no environment named \"" + name + "\"")));
    }

    private EnvironmentDefinition definition(Environment env) {
        String key = env.definitionSha256 + (env.sharedRunbooks == null ? "" : "+" + Tokens.sha256(env.sharedRunbooks));
        return parsedBySha.computeIfAbsent(key, sha -> {
            DefinitionParser parser = new DefinitionParser();
            ParseResult result = env.fromTemplate()
                    ? parser.parseRendered(env.definitionFile, env.definitionText)
                    : parser.parse(env.definitionFile, env.definitionText, SharedRunbooks.decode(env.sharedRunbooks));
            return result.definition()
                    .orElseThrow(() -> new IllegalStateException(
                            "the stored copy of " + env.name + " no longer parses: " + result.problems()));
        });
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
        return Environment.findByName(name).orElseThrow(() -> new NotFound("no environment named \"" + name + "\""));
    }

    /** The environment, locked for the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Environment locked(String name) {
        Environment env = byName(name);
        Environment.getEntityManager().lock(env, LockModeType.PESSIMISTIC_WRITE);
        return env;
    }
}
