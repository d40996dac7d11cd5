package org.cnx.conveyor.environment;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.common.ConveyorConfig;
import org.cnx.conveyor.environment.EnvironmentViews.SyncResult;
import org.cnx.conveyor.environment.definition.DefinitionDirectory;
import org.cnx.conveyor.environment.definition.DefinitionProblem;
import org.cnx.conveyor.environment.definition.DirectoryLoad;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.environment.definition.LoadedDefinition;
import org.cnx.conveyor.environment.definition.SharedRunbooks;

/** Loads the definition files into the database, keeping the last good copy of a broken file, and reports problems. */
@ApplicationScoped
@Transactional
public class DefinitionSync {

    private final ConveyorConfig config;
    private final EnvironmentLifecycle lifecycle;
    private final AuditLog audit;

    DefinitionSync(ConveyorConfig config, EnvironmentLifecycle lifecycle, AuditLog audit) {
        this.config = config;
        this.lifecycle = lifecycle;
        this.audit = audit;
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
                problems.add(new DefinitionProblem(
                        env.definitionFile,
                        1,
                        1,
                        "(file)",
                        "the file is gone; keeping the copy of environment \"" + env.name + "\" loaded at "
                                + env.loadedAt));
            }
        }
        DefinitionProblemRecord.deleteAll();
        problems.forEach(p -> DefinitionProblemRecord.of(p).persist());
        audit.record(
                "definitions.synced",
                "environments",
                names.size() + " definition(s) loaded"
                        + (changed.isEmpty() ? "" : ", changed: " + String.join(", ", changed))
                        + (problems.isEmpty() ? "" : ", " + problems.size() + " problem(s)"));
        return SyncResult.of(names, changed, problems);
    }

    private boolean upsert(LoadedDefinition loaded) {
        EnvironmentDefinition definition = loaded.definition();
        Optional<Environment> existing = Environment.findByName(definition.name());
        Environment env = existing.orElseGet(Environment::new);
        String sharedRunbooks = SharedRunbooks.encode(loaded.sharedRunbooks());
        // A changed shared runbook file changes every environment that uses it, though their own files did not change.
        boolean changed = existing.isEmpty()
                || !loaded.sha256().equals(env.definitionSha256)
                || !Objects.equals(sharedRunbooks, env.sharedRunbooks)
                || env.fileMissing;
        if (changed) {
            env.name = definition.name();
            env.kind = definition.kind().yamlName();
            env.stage = definition.stage();
            env.definitionFile = loaded.file();
            env.definitionText = loaded.text();
            env.definitionSha256 = loaded.sha256();
            env.sharedRunbooks = sharedRunbooks;
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
        return DefinitionProblemRecord.<DefinitionProblemRecord>list("order by file, line, column").stream()
                .map(DefinitionProblemRecord::toProblem)
                .toList();
    }
}
