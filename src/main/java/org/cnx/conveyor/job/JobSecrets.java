package org.cnx.conveyor.job;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.secret.SecretService;

/** Masks every secret an environment's definition references in a job's log, before the job prints anything. */
@ApplicationScoped
public class JobSecrets {

    private final SecretService secrets;

    JobSecrets(SecretService secrets) {
        this.secrets = secrets;
    }

    /** Masks the definition's secrets in the job's log; returns the names of those that are not set. */
    public List<String> mask(RunningJob job, EnvironmentDefinition definition) {
        return mask(job, definition, List.of());
    }

    /** As {@link #mask(RunningJob, EnvironmentDefinition)}, masking {@code more} values too (a run's secret inputs). */
    public List<String> mask(RunningJob job, EnvironmentDefinition definition, java.util.Collection<String> more) {
        List<String> values = new ArrayList<>(more);
        List<String> missing = new ArrayList<>();
        for (String name : definition.secretNames()) {
            QuarkusTransaction.requiringNew()
                    .call(() -> secrets.reveal(name))
                    .ifPresentOrElse(values::add, () -> missing.add(name));
        }
        job.log().mask(values);
        return missing;
    }

    /** The message a job ends with when secrets it needs are missing. */
    public static String missingMessage(List<String> missing) {
        return "secret(s) " + String.join(", ", missing)
                + " not set; an admin can set them on the Secrets page. Nothing was changed";
    }
}
