package org.cnx.conveyor.cluster;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Runs a periodic task once across all instances: each instance's scheduler fires, one of them runs the task and
 * the others skip it. Two guards: a PostgreSQL advisory lock held while the task runs (no two runs overlap, even one
 * longer than its period), and the task's row in {@code cluster_tasks} (a run starts only when the last one, on any
 * instance, started at least 90% of a period ago, so a period has one run however the instances' clocks fire).
 */
@ApplicationScoped
public class ClusterTasks {

    /** The first key of the two-key advisory locks of tasks ("CT"), apart from Conveyor's other advisory locks. */
    private static final int LOCK_CLASS = 0x4354;

    private static final Logger LOG = Logger.getLogger(ClusterTasks.class);
    private static final String CLAIM = """
            INSERT INTO cluster_tasks (name, started_at, instance, runs) VALUES (?, now(), ?, 1)
            ON CONFLICT (name) DO UPDATE SET started_at = now(), instance = EXCLUDED.instance,
                runs = cluster_tasks.runs + 1
            WHERE cluster_tasks.started_at <= now() - make_interval(secs => ?)
            RETURNING name
            """;

    private final AgroalDataSource dataSource;
    private final Notifications notifications;

    ClusterTasks(AgroalDataSource dataSource, Notifications notifications) {
        this.dataSource = dataSource;
        this.notifications = notifications;
    }

    /**
     * Runs {@code task} here when no instance runs it now and none started it within the last 90% of
     * {@code period}; returns whether it ran here.
     */
    public boolean runOnce(String name, Duration period, Runnable task) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            if (!lock(connection, "pg_try_advisory_lock", name)) {
                return false;
            }
            try {
                if (!claim(connection, name, period)) {
                    return false;
                }
                task.run();
                return true;
            } finally {
                lock(connection, "pg_advisory_unlock", name);
            }
        } catch (SQLException e) {
            LOG.warnf("Cannot coordinate task %s with other instances (%s); skipped this time", name, e);
            return false;
        }
    }

    private static boolean lock(Connection connection, String function, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + function + "(?, ?)")) {
            statement.setInt(1, LOCK_CLASS);
            statement.setInt(2, name.hashCode());
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    private boolean claim(Connection connection, String name, Duration period) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(CLAIM)) {
            statement.setString(1, name);
            statement.setString(2, notifications.instance());
            statement.setDouble(3, period.toMillis() * 0.9 / 1000.0);
            try (ResultSet result = statement.executeQuery()) {
                return result.next();
            }
        }
    }
}
