package org.cnx.conveyor.auth;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Counts failed password logins per user name and per client address, and locks either for a while once it has
 * too many. Kept in memory: a restart forgets the counts, and each instance of a cluster counts on its own.
 */
@ApplicationScoped
public class LoginThrottle {

    private final AuthConfig.Throttle config;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    LoginThrottle(AuthConfig config) {
        this.config = config.throttle();
    }

    /** How long until this user name and address may try again; empty when neither is locked. */
    public Optional<Duration> lockedFor(String username, String address) {
        Instant now = Instant.now();
        return keys(username, address)
                .map(failures::get)
                .filter(Objects::nonNull)
                .map(f -> f.lockedFor(now))
                .filter(d -> !d.isZero() && !d.isNegative())
                .max(Duration::compareTo);
    }

    /** Counts a failed login against the user name and the address. */
    public void failed(String username, String address) {
        Instant now = Instant.now();
        failures.computeIfAbsent(userKey(username), k -> new Failures()).add(now, config.maxFailures(), config);
        if (address != null) {
            failures.computeIfAbsent(addressKey(address), k -> new Failures())
                    .add(now, config.maxFailuresPerAddress(), config);
        }
    }

    /** A successful login forgets the user name's failures (not the address's: other names may be guessed from it). */
    public void succeeded(String username) {
        failures.remove(userKey(username));
    }

    /** Forgets every count and lock. */
    public void clear() {
        failures.clear();
    }

    @Scheduled(every = "10m", delayed = "10m")
    void forgetStale() {
        Instant now = Instant.now();
        failures.values().removeIf(f -> f.isStale(now, config.window()));
    }

    private static Stream<String> keys(String username, String address) {
        return address == null ? Stream.of(userKey(username)) : Stream.of(userKey(username), addressKey(address));
    }

    private static String userKey(String username) {
        return "user:" + (username == null ? "" : username.toLowerCase(Locale.ROOT));
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }

    /** The recent failures of one user name or address, and the end of its lock. */
    private static final class Failures {
        private final Deque<Instant> times = new ArrayDeque<>();
        private Instant lockedUntil = Instant.MIN;

        synchronized void add(Instant now, int max, AuthConfig.Throttle config) {
            Instant since = now.minus(config.window());
            while (!times.isEmpty() && times.peekFirst().isBefore(since)) {
                times.removeFirst();
            }
            times.addLast(now);
            if (times.size() >= max) {
                lockedUntil = now.plus(config.lockout());
                times.clear();
            }
        }

        synchronized Duration lockedFor(Instant now) {
            return lockedUntil.isAfter(now) ? Duration.between(now, lockedUntil) : Duration.ZERO;
        }

        synchronized boolean isStale(Instant now, Duration window) {
            return !lockedUntil.isAfter(now)
                    && (times.isEmpty() || times.peekLast().isBefore(now.minus(window)));
        }
    }
}
