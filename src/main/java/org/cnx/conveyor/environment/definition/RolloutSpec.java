package org.cnx.conveyor.environment.definition;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How an environment's hosts switch to a new release ({@code rollout} in a definition): in batches, each host drained
 * from its load balancer around its restart, an optional canary batch analysed before the rest, and an optional
 * maintenance mode for releases whose migrations cannot run under traffic. Without the key, every host switches at once.
 */
public record RolloutSpec(
        BatchSize batchSize,
        Duration pause,
        Optional<LoadBalancer> loadBalancer,
        Optional<Canary> canary,
        Optional<Maintenance> maintenance) {

    /** Every host switches at once, with no load balancer: what an environment without {@code rollout} gets. */
    public static final RolloutSpec ALL_AT_ONCE = new RolloutSpec(
            new BatchSize(BatchSize.Unit.ALL, 0), Duration.ZERO, Optional.empty(), Optional.empty(), Optional.empty());

    /** True when hosts switch in more than one step or behind a load balancer. */
    public boolean isRolling() {
        return batchSize.unit() != BatchSize.Unit.ALL || loadBalancer.isPresent() || canary.isPresent();
    }

    /** How many hosts a batch takes: a count, a percentage of the hosts, one role at a time, or all. */
    public record BatchSize(Unit unit, int amount) {

        /** What {@code amount} counts. */
        public enum Unit {
            ALL,
            HOSTS,
            PERCENT,
            ROLE
        }

        /** The spelling in a definition file. */
        @Override
        public String toString() {
            return switch (unit) {
                case ALL -> "all";
                case HOSTS -> Integer.toString(amount);
                case PERCENT -> amount + "%";
                case ROLE -> "role";
            };
        }
    }

    /**
     * Where a host's components sit in the load balancer and how to take them out and put them back: haproxy's runtime
     * API ({@code haproxy}: an admin socket path or {@code address:port}) or a command hook ({@code drain} and
     * {@code enable}), run on host {@code via} (empty: on the host being switched). {@code servers} maps host name to
     * component name to {@code backend/server}.
     */
    public record LoadBalancer(
            Optional<String> via,
            Optional<String> haproxy,
            Optional<String> drain,
            Optional<String> enable,
            Duration timeout,
            Map<String, Map<String, String>> servers) {

        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

        public LoadBalancer {
            Map<String, Map<String, String>> copy = new LinkedHashMap<>();
            servers.forEach((host, byComponent) ->
                    copy.put(host, Collections.unmodifiableMap(new LinkedHashMap<>(byComponent))));
            servers = Collections.unmodifiableMap(copy);
        }

        /** The {@code backend/server} of a host's component, if it is behind the load balancer. */
        public Optional<String> server(String host, String component) {
            return Optional.ofNullable(servers.getOrDefault(host, Map.of()).get(component));
        }
    }

    /**
     * The first batch as a canary: {@code hosts} hosts switch, then for {@code duration} every {@code interval} each
     * check is sampled; one failing sample rolls the canary back.
     */
    public record Canary(
            int hosts, Duration duration, Duration interval, Optional<String> prometheus, List<Check> checks) {

        public Canary {
            checks = List.copyOf(checks);
        }
    }

    /**
     * One canary condition: an HTTP URL that must answer 2xx, or a Prometheus query whose every sample must lie within
     * {@code min} and {@code max}.
     */
    public record Check(Optional<String> http, Optional<String> query, Optional<Double> min, Optional<Double> max) {

        /** How a sample of this check is named in the log. */
        public String describe() {
            return http.map(url -> "GET " + url)
                    .orElseGet(() -> "query " + query.orElseThrow()
                            + min.map(v -> " >= " + v).orElse("")
                            + max.map(v -> " <= " + v).orElse(""));
        }
    }

    /**
     * Maintenance mode: when a release needs it, every load-balanced server is put in {@code maint} (haproxy then serves
     * its maintenance page, e.g. an {@code errorfile 503} or a backup server) or the {@code enter} hook runs, from before the
     * migrate phase until verify passes; then {@code leave} (or {@code ready}). {@code always}: every deploy needs it;
     * otherwise only releases whose notes carry {@code [maintenance]}.
     */
    public record Maintenance(boolean always, Optional<String> enter, Optional<String> leave) {}
}
