package org.cnx.conveyor.auth;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.cnx.conveyor.cluster.OnceAcrossInstances;

/**
 * Counts failed password logins per user name and per client address, and locks either for a while once it has
 * too many. Kept in the database ({@code login_failures}), so every instance behind a load balancer counts the same
 * failures and honours the same locks; a restart forgets nothing.
 */
@ApplicationScoped
public class LoginThrottle {

    private final AuthConfig.Throttle config;
    private final AgroalDataSource dataSource;

    LoginThrottle(AuthConfig config, AgroalDataSource dataSource) {
        this.config = config.throttle();
        this.dataSource = dataSource;
    }

    /** How long until this user name and address may try again; empty when neither is locked. */
    public Optional<Duration> lockedFor(String username, String address) {
        Instant now = Instant.now();
        Timestamp until = inNewTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT max(locked_until) FROM login_failures WHERE key = ? OR key = ?")) {
                select.setString(1, userKey(username));
                select.setString(2, address == null ? userKey(username) : addressKey(address));
                try (ResultSet result = select.executeQuery()) {
                    return result.next() ? result.getTimestamp(1) : null;
                }
            }
        });
        return until == null || !until.toInstant().isAfter(now)
                ? Optional.empty()
                : Optional.of(Duration.between(now, until.toInstant()));
    }

    /** Counts a failed login against the user name and the address. */
    public void failed(String username, String address) {
        Instant now = Instant.now();
        inNewTransaction(connection -> {
            add(connection, userKey(username), now, config.maxFailures());
            if (address != null) {
                add(connection, addressKey(address), now, config.maxFailuresPerAddress());
            }
            return null;
        });
    }

    /** A successful login forgets the user name's failures (not the address's: other names may be guessed from it). */
    public void succeeded(String username) {
        inNewTransaction(connection -> delete(connection, "key = ?", userKey(username)));
    }

    /** Forgets every count and lock. */
    public void clear() {
        inNewTransaction(connection -> delete(connection, "true", null));
    }

    @Scheduled(every = "10m", delayed = "10m")
    @OnceAcrossInstances
    void forgetStale() {
        Timestamp since = Timestamp.from(Instant.now().minus(config.window()));
        inNewTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("""
                    DELETE FROM login_failures WHERE (locked_until IS NULL OR locked_until < now())
                      AND (cardinality(failures) = 0 OR failures[cardinality(failures)] < ?)
                    """)) {
                delete.setTimestamp(1, since);
                return delete.executeUpdate();
            }
        });
    }

    /** One more failure of a key, under its row lock: past the window they are forgotten, at {@code max} it locks. */
    private void add(Connection connection, String key, Instant now, int max) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO login_failures (key, failures) VALUES (?, '{}') ON CONFLICT (key) DO NOTHING")) {
            insert.setString(1, key);
            insert.executeUpdate();
        }
        List<Timestamp> times = new ArrayList<>();
        try (PreparedStatement select =
                connection.prepareStatement("SELECT failures FROM login_failures WHERE key = ? FOR UPDATE")) {
            select.setString(1, key);
            try (ResultSet result = select.executeQuery()) {
                result.next();
                Instant since = now.minus(config.window());
                for (Timestamp t : (Timestamp[]) result.getArray(1).getArray()) {
                    if (!t.toInstant().isBefore(since)) {
                        times.add(t);
                    }
                }
            }
        }
        times.add(Timestamp.from(now));
        Timestamp lockedUntil = null;
        if (times.size() >= max) {
            lockedUntil = Timestamp.from(now.plus(config.lockout()));
            times.clear();
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE login_failures SET failures = ?, locked_until = COALESCE(?, locked_until) WHERE key = ?")) {
            update.setArray(1, connection.createArrayOf("timestamptz", times.toArray()));
            update.setTimestamp(2, lockedUntil);
            update.setString(3, key);
            update.executeUpdate();
        }
    }

    private static Object delete(Connection connection, String where, String key) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM login_failures WHERE " + where)) {
            if (key != null) {
                delete.setString(1, key);
            }
            return delete.executeUpdate();
        }
    }

    /** Statements on a connection of their own transaction, whatever the caller's (a refused login rolls back). */
    private <T> T inNewTransaction(SqlWork<T> work) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return work.run(connection);
            }
        });
    }

    /** A piece of JDBC work. */
    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private static String userKey(String username) {
        return "user:" + (username == null ? "" : username.toLowerCase(Locale.ROOT));
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }
}
