package org.cnx.conveyor.deploy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Component;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;

/** The environment variables every recipe command gets (documented in docs/deploying.md). */
final class RecipeEnvironment {

    private RecipeEnvironment() {}

    static Map<String, String> of(
            EnvironmentDefinition definition,
            Host host,
            Component component,
            HostLayout layout,
            String release,
            String version,
            UnaryOperator<String> resolveSecrets) {
        Map<String, String> env = new LinkedHashMap<>();
        definition.variables().forEach((name, value) -> env.put(name, resolveSecrets.apply(value)));
        host.variables().forEach((name, value) -> env.put(name, resolveSecrets.apply(value)));
        component.env().forEach((name, value) -> env.put(name, resolveSecrets.apply(value)));
        env.put("CONVEYOR_ENVIRONMENT", definition.name());
        env.put("CONVEYOR_HOST", host.name());
        env.put("CONVEYOR_COMPONENT", component.name());
        env.put("CONVEYOR_RELEASE", release);
        env.put("CONVEYOR_VERSION", version);
        env.put("CONVEYOR_RELEASE_DIR", layout.releaseDir(component.name(), release));
        env.put("CONVEYOR_SHARED_DIR", layout.sharedDir(component.name()));
        component.port().ifPresent(port -> env.put("PORT", Integer.toString(port)));
        return env;
    }
}
