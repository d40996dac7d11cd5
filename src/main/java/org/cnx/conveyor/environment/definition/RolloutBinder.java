package org.cnx.conveyor.environment.definition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Component;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.cnx.conveyor.environment.definition.RolloutSpec.BatchSize;
import org.cnx.conveyor.environment.definition.RolloutSpec.Canary;
import org.cnx.conveyor.environment.definition.RolloutSpec.Check;
import org.cnx.conveyor.environment.definition.RolloutSpec.LoadBalancer;
import org.cnx.conveyor.environment.definition.RolloutSpec.Maintenance;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Binds the {@code rollout} mapping and checks it against the environment's hosts and components. */
final class RolloutBinder {

    static final List<String> KEYS = List.of("batchSize", "pause", "loadBalancer", "canary", "maintenance");
    static final List<String> LOAD_BALANCER_KEYS = List.of("via", "haproxy", "drain", "enable", "timeout", "servers");
    static final List<String> CANARY_KEYS = List.of("hosts", "duration", "interval", "prometheus", "checks");
    static final List<String> CHECK_KEYS = List.of("http", "query", "min", "max");
    static final List<String> MAINTENANCE_KEYS = List.of("always", "enter", "leave");

    private static final Pattern BATCH = Pattern.compile("(\\d{1,4})(%?)|role|all");
    private static final String BATCH_EXPECTED = "a number of hosts like 2, a percentage like 25%, role or all";
    private static final Pattern SERVER = Pattern.compile("[A-Za-z0-9_.:-]{1,64}/[A-Za-z0-9_.:-]{1,64}");
    private static final String SERVER_EXPECTED = "backend/server as named in haproxy.cfg, like webview/web1";
    private static final Pattern HAPROXY =
            Pattern.compile("(/[A-Za-z0-9._@+-]+)+|[A-Za-z0-9.-]{1,253}:\\d{1,5}|\\[[0-9A-Fa-f:]+]:\\d{1,5}");
    private static final String HAPROXY_EXPECTED = "an admin socket path like /run/haproxy/admin.sock or host:port";
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final String COMMAND = "a shell command";

    private final Problems problems;
    private final List<Host> hosts;
    private final Map<String, Component> components;

    RolloutBinder(Problems problems, List<Host> hosts, Map<String, Component> components) {
        this.problems = problems;
        this.hosts = hosts;
        this.components = components;
    }

    Optional<RolloutSpec> bind(Node node) {
        return MappingFields.of(node, "rollout", "a mapping of rollout settings", KEYS, problems)
                .map(this::bind);
    }

    private RolloutSpec bind(MappingFields fields) {
        BatchSize size = fields.matching("batchSize", BATCH, BATCH_EXPECTED)
                .flatMap(text -> batchSize(fields, text))
                .orElse(new BatchSize(BatchSize.Unit.HOSTS, 1));
        Duration pause = fields.duration("pause").orElse(Duration.ZERO);
        Optional<LoadBalancer> loadBalancer = fields.value("loadBalancer").flatMap(this::loadBalancer);
        Optional<Canary> canary = fields.value("canary").flatMap(this::canary);
        Optional<Maintenance> maintenance = fields.value("maintenance").flatMap(n -> maintenance(n, loadBalancer));
        return new RolloutSpec(size, pause, loadBalancer, canary, maintenance);
    }

    private Optional<BatchSize> batchSize(MappingFields fields, String text) {
        if (text.equals("role")) {
            return Optional.of(new BatchSize(BatchSize.Unit.ROLE, 0));
        }
        if (text.equals("all")) {
            return Optional.of(new BatchSize(BatchSize.Unit.ALL, 0));
        }
        Matcher matcher = BATCH.matcher(text);
        matcher.matches();
        int amount = Integer.parseInt(matcher.group(1));
        boolean percent = !matcher.group(2).isEmpty();
        if (amount < 1 || (percent && amount > 100)) {
            YamlValues.expected(problems, fields.value("batchSize").orElseThrow(), "rollout.batchSize", BATCH_EXPECTED);
            return Optional.empty();
        }
        return Optional.of(new BatchSize(percent ? BatchSize.Unit.PERCENT : BatchSize.Unit.HOSTS, amount));
    }

    private Optional<LoadBalancer> loadBalancer(Node node) {
        return MappingFields.of(
                        node,
                        "rollout.loadBalancer",
                        "a mapping of load balancer settings",
                        LOAD_BALANCER_KEYS,
                        problems)
                .map(fields -> {
                    Optional<String> via = fields.text("via", "a host name").filter(name -> knownHost(fields, name));
                    Optional<String> haproxy = fields.matching("haproxy", HAPROXY, HAPROXY_EXPECTED);
                    Optional<String> drain = fields.text("drain", COMMAND);
                    Optional<String> enable = fields.text("enable", COMMAND);
                    boolean hook = fields.has("drain") || fields.has("enable");
                    if (fields.has("haproxy") == hook || fields.has("drain") != fields.has("enable")) {
                        problems.add(
                                fields.node(),
                                fields.path(),
                                "expected either haproxy or both drain and enable (a command hook)");
                    }
                    Duration timeout = fields.duration("timeout").orElse(LoadBalancer.DEFAULT_TIMEOUT);
                    return new LoadBalancer(via, haproxy, drain, enable, timeout, servers(fields));
                });
    }

    private boolean knownHost(MappingFields fields, String name) {
        if (hosts.stream().anyMatch(h -> h.name().equals(name))) {
            return true;
        }
        YamlValues.expected(problems, fields.value("via").orElseThrow(), fields.path("via"), "one of the hosts");
        return false;
    }

    private Map<String, Map<String, String>> servers(MappingFields lb) {
        Map<String, Map<String, String>> servers = new LinkedHashMap<>();
        Optional<MappingFields> byHost = lb.value("servers")
                .flatMap(node -> MappingFields.of(
                        node, lb.path("servers"), "a mapping of host names to components", null, problems));
        for (NodeTuple hostEntry : byHost.map(MappingFields::entries).orElse(List.of())) {
            String host = ((ScalarNode) hostEntry.getKeyNode()).getValue();
            String path = lb.path("servers") + "." + host;
            Optional<Host> found =
                    hosts.stream().filter(h -> h.name().equals(host)).findFirst();
            if (found.isEmpty()) {
                YamlValues.expected(problems, hostEntry.getKeyNode(), path, "one of the hosts");
                continue;
            }
            Optional<MappingFields> byComponent = MappingFields.of(
                    hostEntry.getValueNode(), path, "a mapping of components to backend/server", null, problems);
            Map<String, String> entries = new LinkedHashMap<>();
            for (NodeTuple entry : byComponent.map(MappingFields::entries).orElse(List.of())) {
                String component = ((ScalarNode) entry.getKeyNode()).getValue();
                Component known = components.get(component);
                if (known == null || !found.get().hasRole(known.role())) {
                    YamlValues.expected(
                            problems, entry.getKeyNode(), path + "." + component, "a component that runs on " + host);
                    continue;
                }
                YamlValues.matching(entry.getValueNode(), path + "." + component, SERVER, SERVER_EXPECTED, problems)
                        .ifPresent(server -> entries.put(component, server));
            }
            servers.put(host, entries);
        }
        return servers;
    }

    private Optional<Canary> canary(Node node) {
        return MappingFields.of(node, "rollout.canary", "a mapping of canary settings", CANARY_KEYS, problems)
                .map(fields -> {
                    Optional<String> prometheus = fields.text("prometheus", UrlCheck.EXPECTED)
                            .flatMap(url -> UrlCheck.plain(
                                    fields.value("prometheus").orElseThrow(),
                                    fields.path("prometheus"),
                                    url,
                                    problems));
                    List<Check> checks = checks(fields, fields.has("prometheus"));
                    return new Canary(
                            fields.integer("hosts", 1, 1000).orElse(1),
                            fields.duration("duration").orElse(Duration.ofMinutes(1)),
                            fields.duration("interval").orElse(Duration.ofSeconds(10)),
                            prometheus,
                            checks);
                });
    }

    private List<Check> checks(MappingFields canary, boolean hasPrometheus) {
        List<Check> checks = new ArrayList<>();
        Optional<Node> list = canary.value("checks");
        if (list.isEmpty()) {
            return checks;
        }
        if (!(list.get() instanceof SequenceNode sequence)) {
            YamlValues.expected(problems, list.get(), canary.path("checks"), "a list of checks");
            return checks;
        }
        for (int i = 0; i < sequence.getValue().size(); i++) {
            String path = canary.path("checks") + "[" + i + "]";
            MappingFields.of(sequence.getValue().get(i), path, "a mapping with http or query", CHECK_KEYS, problems)
                    .flatMap(fields -> check(fields, hasPrometheus))
                    .ifPresent(checks::add);
        }
        return checks;
    }

    private Optional<Check> check(MappingFields fields, boolean hasPrometheus) {
        if (fields.has("http") == fields.has("query")) {
            problems.add(fields.node(), fields.path(), "expected exactly one of http or query");
            return Optional.empty();
        }
        if (fields.has("query") && !hasPrometheus) {
            problems.add(fields.node(), fields.path(), "a query check needs rollout.canary.prometheus");
        }
        if (fields.has("query") && !fields.has("min") && !fields.has("max")) {
            problems.add(fields.node(), fields.path(), "a query check needs min, max or both");
        }
        if (fields.has("http") && (fields.has("min") || fields.has("max"))) {
            problems.add(fields.node(), fields.path(), "min and max apply to query checks only");
        }
        Optional<String> http = fields.text("http", UrlCheck.EXPECTED)
                .flatMap(url -> UrlCheck.plain(fields.value("http").orElseThrow(), fields.path("http"), url, problems));
        Optional<String> query = fields.text("query", "a PromQL query");
        return Optional.of(new Check(http, query, number(fields, "min"), number(fields, "max")));
    }

    private Optional<Double> number(MappingFields fields, String key) {
        return fields.matching(key, NUMBER, "a number like 0.05").map(Double::valueOf);
    }

    private Optional<Maintenance> maintenance(Node node, Optional<LoadBalancer> loadBalancer) {
        return MappingFields.of(
                        node, "rollout.maintenance", "a mapping of maintenance settings", MAINTENANCE_KEYS, problems)
                .map(fields -> {
                    Optional<String> on = fields.text("enter", COMMAND);
                    Optional<String> off = fields.text("leave", COMMAND);
                    if (fields.has("enter") != fields.has("leave")) {
                        problems.add(fields.node(), fields.path(), "expected both enter and leave, or neither");
                    }
                    if (on.isEmpty()
                            && loadBalancer.flatMap(LoadBalancer::haproxy).isEmpty()) {
                        problems.add(
                                fields.node(),
                                fields.path(),
                                "expected enter and leave commands, or rollout.loadBalancer.haproxy to put servers in maint");
                    }
                    boolean always = fields.matching("always", Pattern.compile("true|false"), "true or false")
                            .map(Boolean::parseBoolean)
                            .orElse(false);
                    return new Maintenance(always, on, off);
                });
    }
}
