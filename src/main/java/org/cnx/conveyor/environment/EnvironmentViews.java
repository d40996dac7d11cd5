package org.cnx.conveyor.environment;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.cnx.conveyor.environment.definition.DefinitionProblem;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;

/** The shapes in which environments travel through the API and pages. */
public final class EnvironmentViews {

    private EnvironmentViews() {}

    /** One line of the environment list. */
    public record EnvironmentSummary(
            String name,
            String kind,
            String stage,
            String description,
            String url,
            Long currentRelease,
            String file,
            boolean fileMissing,
            Instant loadedAt,
            String health,
            String healthDetail,
            Long healthJob,
            String warning,
            Long warningJob) {

        static EnvironmentSummary of(Environment env, EnvironmentDefinition definition) {
            return new EnvironmentSummary(
                    env.name,
                    env.kind,
                    env.stage,
                    definition.description().orElse(null),
                    definition.url().orElse(null),
                    env.currentReleaseId,
                    env.definitionFile,
                    env.fileMissing,
                    env.loadedAt,
                    env.health,
                    env.healthDetail,
                    env.healthJobId,
                    env.warning,
                    env.warningJobId);
        }

        public boolean degraded() {
            return "degraded".equals(health);
        }
    }

    /** Everything known about one environment: its loaded definition, where it came from, what it lacks. */
    public record EnvironmentDetail(
            EnvironmentSummary summary,
            String sha256,
            EnvironmentDefinition definition,
            String definitionText,
            Set<String> missingSecrets) {}

    /** Environments of one stage, for the dashboard. */
    public record StageGroup(String stage, List<EnvironmentSummary> environments) {}

    /** What a sync did. */
    public record SyncResult(List<String> environments, List<String> changed, List<String> problems) {

        static SyncResult of(List<String> environments, List<String> changed, List<DefinitionProblem> problems) {
            return new SyncResult(
                    environments,
                    changed,
                    problems.stream().map(DefinitionProblem::toString).toList());
        }

        public boolean clean() {
            return problems.isEmpty();
        }
    }
}
