package org.cnx.conveyor.preview;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.cnx.conveyor.common.DomainException.Conflict;
import org.cnx.conveyor.environment.DefinitionSync;
import org.cnx.conveyor.environment.Environment;
import org.cnx.conveyor.environment.EnvironmentLifecycle;
import org.cnx.conveyor.environment.definition.TemplateException;
import org.cnx.conveyor.environment.definition.TemplateRenderer;

/** Makes an environment from a template: ports and hosts from the pool, the given values, one transaction. */
@ApplicationScoped
public class TemplateEnvironments {

    private final DefinitionSync definitions;
    private final EnvironmentLifecycle lifecycle;
    private final Pool pool;

    TemplateEnvironments(DefinitionSync definitions, EnvironmentLifecycle lifecycle, Pool pool) {
        this.definitions = definitions;
        this.lifecycle = lifecycle;
        this.pool = pool;
    }

    /**
     * Renders {@code template} (relative to the environments directory) with {@code values} plus {@code {{database}}}
     * and the pool's allocations, and creates the environment {@code values.get("name")}, all within the caller's
     * transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Environment create(String template, Map<String, String> values) {
        Path file = definitions.environmentsDir().resolve(template);
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new Conflict("cannot read the template " + file + ": " + e.getMessage());
        }
        String name = values.get("name");
        Map<String, String> all = new HashMap<>(values);
        all.put("database", TemplateRenderer.databaseName(name));
        all.putAll(pool.allocate(name, TemplateRenderer.poolSlots(text)));
        String rendered;
        try {
            rendered = TemplateRenderer.render(text, all);
        } catch (TemplateException e) {
            throw new Conflict("the template " + template + " cannot be rendered for " + name + ": " + e.getMessage());
        }
        return lifecycle.createFromTemplate(definitions.environmentsDir().getFileName() + "/" + template, rendered);
    }
}
