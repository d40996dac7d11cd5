package org.cnx.conveyor.environment;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cnx.conveyor.auth.Tokens;
import org.cnx.conveyor.common.DomainException.Conflict;
import org.cnx.conveyor.common.Subjects;
import org.cnx.conveyor.environment.definition.DefinitionParser;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.environment.definition.ParseResult;
import org.cnx.conveyor.events.EventPublisher;
import org.cnx.conveyor.events.EventType;

/**
 * Environments coming and going: a first load, one made from a template (a preview or a clone) and its removal by a
 * teardown, each with its event in the caller's transaction.
 */
@ApplicationScoped
public class EnvironmentLifecycle {

    private final EventPublisher events;
    private final Event<EnvironmentDestroyed> destroyed;

    EnvironmentLifecycle(EventPublisher events, Event<EnvironmentDestroyed> destroyed) {
        this.events = events;
        this.destroyed = destroyed;
    }

    /**
     * Creates an environment from a rendered template, within the caller's transaction; the definition sync leaves
     * such environments alone, and only {@link #destroy} removes them.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Environment createFromTemplate(String templateFile, String renderedText) {
        ParseResult result = new DefinitionParser().parseRendered(templateFile, renderedText);
        EnvironmentDefinition definition = result.definition()
                .orElseThrow(() -> new Conflict(
                        "the template " + templateFile + " does not give a valid environment: " + result.problems()));
        if (Environment.findByName(definition.name()).isPresent()) {
            throw new Conflict("an environment named \"" + definition.name() + "\" exists already");
        }
        Environment env = new Environment();
        env.name = definition.name();
        env.kind = definition.kind().yamlName();
        env.stage = definition.stage();
        env.definitionFile = templateFile;
        env.definitionText = renderedText;
        env.definitionSha256 = Tokens.sha256(renderedText);
        env.persist();
        created(env);
        return env;
    }

    /**
     * Marks an environment made from a template as removed (the end of its teardown), within the caller's
     * transaction; observers of {@link EnvironmentDestroyed} let go of it in the same transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void destroy(long environmentId, long jobId) {
        Environment env = Environment.findById(environmentId, LockModeType.PESSIMISTIC_WRITE);
        env.destroy();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("environment", env.name);
        data.put("kind", env.kind);
        data.put("job", jobId);
        events.publish(EventType.ENVIRONMENT_DESTROYED, Subjects.environment(env.name), env.name, data);
        destroyed.fire(new EnvironmentDestroyed(env.name, env.kind, jobId));
    }

    /** {@code environment.created} for a newly stored environment. */
    @Transactional(Transactional.TxType.MANDATORY)
    void created(Environment env) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("environment", env.name);
        data.put("kind", env.kind);
        data.put("stage", env.stage);
        data.put("definitionFile", env.definitionFile);
        events.publish(EventType.ENVIRONMENT_CREATED, Subjects.environment(env.name), env.name, data);
    }
}
