package org.cnx.conveyor.environment;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.cnx.conveyor.common.DomainException;
import org.cnx.conveyor.environment.EnvironmentViews.EnvironmentSummary;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.jboss.logging.Logger;

/**
 * Runs the firings of schedules declared in environment definitions exactly once across instances: each firing is a
 * row of its own table, and only the instance whose insert of the row wins starts the firing's job.
 */
@ApplicationScoped
public class ScheduledFirings {

    /** A firing more than this old (Conveyor was down when it was due) is skipped. */
    public static final Duration GRACE = Duration.ofMinutes(1);

    private static final Logger LOG = Logger.getLogger(ScheduledFirings.class);

    /** A table of firings: its name and the columns that identify one firing (its time among them). */
    public record Table(String name, List<String> keys) {}

    private final EnvironmentService environments;
    private final EntityManager entities;

    ScheduledFirings(EnvironmentService environments, EntityManager entities) {
        this.environments = environments;
        this.entities = entities;
    }

    /** Each environment with its definition, read in transactions of their own; one that cannot be read is left out. */
    public void forEachDefinition(BiConsumer<String, EnvironmentDefinition> action) {
        for (EnvironmentSummary env : QuarkusTransaction.requiringNew().call(environments::list)) {
            EnvironmentDefinition definition;
            try {
                definition = QuarkusTransaction.requiringNew().call(() -> environments.definition(env.name()));
            } catch (DomainException e) {
                continue;
            }
            action.accept(env.name(), definition);
        }
    }

    /**
     * Claims one firing (the insert of its row, {@code key} in the order of the table's keys) and, when this call won
     * the claim, starts its job and notes the job on the row. A job that cannot start is logged as {@code what}.
     */
    public void runOnce(Table table, List<Object> key, LongSupplier startJob, String what) {
        String columns = String.join(", ", table.keys());
        String placeholders =
                IntStream.rangeClosed(1, key.size()).mapToObj(i -> "?" + i).collect(Collectors.joining(", "));
        boolean mine = QuarkusTransaction.requiringNew()
                .call(() -> bind(
                                        entities.createNativeQuery("INSERT INTO " + table.name() + " (" + columns
                                                + ") VALUES (" + placeholders + ") ON CONFLICT DO NOTHING"),
                                        key,
                                        1)
                                .executeUpdate()
                        == 1);
        if (!mine) {
            return;
        }
        try {
            long job = startJob.getAsLong();
            String where = IntStream.range(0, key.size())
                    .mapToObj(i -> table.keys().get(i) + " = ?" + (i + 2))
                    .collect(Collectors.joining(" AND "));
            QuarkusTransaction.requiringNew()
                    .run(() -> bind(
                                    entities.createNativeQuery(
                                                    "UPDATE " + table.name() + " SET job_id = ?1 WHERE " + where)
                                            .setParameter(1, job),
                                    key,
                                    2)
                            .executeUpdate());
        } catch (RuntimeException e) {
            LOG.warnf("%s could not start: %s", what, e.getMessage());
        }
    }

    private static Query bind(Query query, List<Object> values, int first) {
        for (int i = 0; i < values.size(); i++) {
            query.setParameter(first + i, values.get(i));
        }
        return query;
    }
}
