package org.cnx.conveyor.environment.definition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Kind;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Transport;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Binds the {@code hosts} list, applying the rules that differ between ssh, local and sandbox hosts. */
final class HostBinder {

    static final List<String> KEYS = List.of(
            "name",
            "address",
            "port",
            "user",
            "transport",
            "roles",
            "hostKey",
            "knownHosts",
            "key",
            "root",
            "variables");
    private static final List<String> SSH_ONLY = List.of("address", "port", "user", "hostKey", "knownHosts", "key");
    private static final int DEFAULT_SSH_PORT = 22;
    private static final Pattern SANDBOX_ROOT = Pattern.compile("hosts/[a-z][a-z0-9-]{0,62}/?");
    private static final String SANDBOX_ROOT_EXPECTED =
            "a root like hosts/<environment> (a folder of its own under Conveyor's data dir) for a sandbox host";

    private final Problems problems;
    private final Kind kind;
    private final String environmentRoot;
    private final Optional<Node> environmentRootNode;
    private boolean relativeRootReported;

    HostBinder(Problems problems, Kind kind, String environmentRoot, Optional<Node> environmentRootNode) {
        this.problems = problems;
        this.kind = kind;
        this.environmentRoot = environmentRoot;
        this.environmentRootNode = environmentRootNode;
    }

    /** Binds every host; invalid hosts are still returned (with gaps) so later checks do not report follow-up errors. */
    List<Host> bindAll(MappingFields definition) {
        List<Host> hosts = new ArrayList<>();
        Optional<Node> list = definition.required("hosts", "a non-empty list of hosts");
        if (list.isEmpty()) {
            return hosts;
        }
        if (!(list.get() instanceof SequenceNode sequence)
                || sequence.getValue().isEmpty()) {
            YamlValues.expected(problems, list.get(), "hosts", "a non-empty list of hosts");
            return hosts;
        }
        Map<String, Node> namesSeen = new HashMap<>();
        for (int i = 0; i < sequence.getValue().size(); i++) {
            String path = "hosts[" + i + "]";
            MappingFields.of(sequence.getValue().get(i), path, "a mapping of host settings", KEYS, problems)
                    .map(fields -> bind(fields, namesSeen))
                    .ifPresent(hosts::add);
        }
        return hosts;
    }

    private Host bind(MappingFields fields, Map<String, Node> namesSeen) {
        String name = fields.requiredMatching(
                        "name", DefinitionPatterns.NAME, "a host " + DefinitionPatterns.NAME_EXPECTED)
                .orElse(null);
        if (name != null) {
            Node nameNode = fields.value("name").orElseThrow();
            Node first = namesSeen.putIfAbsent(name, nameNode);
            if (first != null) {
                problems.add(
                        nameNode,
                        fields.path("name"),
                        "expected a unique host name, found " + YamlValues.quote(name) + " again (first at line "
                                + (first.getStartMark().getLine() + 1) + ")");
            }
        }
        Transport transport = fields.enumValue("transport", Transport.class).orElse(Transport.SSH);
        refuseUnsandboxed(fields, transport);
        List<String> roles = RoleListBinder.bind(fields, problems);
        String root = root(fields, transport);
        Map<String, String> variables = StringMapBinder.bind(fields, "variables", problems);
        if (transport == Transport.SANDBOX && root != null) {
            checkSandboxRoot(fields, root);
        }
        if (transport.isOnConveyorMachine()) {
            SSH_ONLY.forEach(key -> fields.forbid(key, key + " is only for ssh hosts"));
            return new Host(
                    name,
                    transport,
                    Optional.empty(),
                    0,
                    Optional.empty(),
                    roles,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    root,
                    variables);
        }
        Optional<String> address = fields.requiredMatching(
                "address", DefinitionPatterns.ADDRESS, "a host name or IP address for an ssh host");
        int port = fields.integer("port", 1, 65535).orElse(DEFAULT_SSH_PORT);
        Optional<String> user = fields.requiredMatching(
                "user", DefinitionPatterns.USER, "a user name matching ^[a-z_][a-z0-9_-]{0,31}$ for an ssh host");
        Optional<String> hostKey = fields.matching(
                "hostKey", DefinitionPatterns.HOST_KEY, "a host key fingerprint like SHA256:<43 base64 characters>");
        Optional<String> knownHosts = fields.matching(
                "knownHosts", DefinitionPatterns.ABSOLUTE_PATH, "an absolute path to a known_hosts file");
        if (!fields.has("hostKey") && !fields.has("knownHosts")) {
            problems.add(
                    fields.node(),
                    fields.path(),
                    "expected hostKey or knownHosts to verify an ssh host, found neither");
        }
        Optional<String> key = fields.requiredSecret("key");
        return new Host(name, transport, address, port, user, roles, hostKey, knownHosts, key, root, variables);
    }

    /** A developer's code never runs as Conveyor's own user: their environments' local hosts must be sandboxed. */
    private void refuseUnsandboxed(MappingFields fields, Transport transport) {
        if (transport == Transport.LOCAL && kind != null && kind.isDeveloperDeployable()) {
            YamlValues.expected(
                    problems,
                    fields.value("transport").orElseThrow(),
                    fields.path("transport"),
                    "sandbox or ssh for a " + kind.yamlName()
                            + " environment (developers deploy it; a local host would "
                            + "run their code as Conveyor's own user)");
        }
    }

    /**
     * A sandbox's root becomes writable by, and owned by, the sandbox's own uid: it must be a folder of its own under
     * the data dir's {@code hosts/}, never a system folder nor one holding Conveyor's files.
     */
    private void checkSandboxRoot(MappingFields fields, String root) {
        if (SANDBOX_ROOT.matcher(root).matches()) {
            return;
        }
        Node node = fields.value("root").or(() -> environmentRootNode).orElse(fields.node());
        String path =
                fields.has("root") ? fields.path("root") : environmentRootNode.isPresent() ? "root" : fields.path();
        YamlValues.expected(problems, node, path, SANDBOX_ROOT_EXPECTED);
    }

    private String root(MappingFields fields, Transport transport) {
        Optional<Node> own = fields.value("root");
        if (own.isPresent()) {
            return YamlValues.text(own.get(), fields.path("root"), DefinitionPatterns.ABSOLUTE_EXPECTED, problems)
                    .filter(root -> checkRoot(own.get(), fields.path("root"), root, transport))
                    .orElse(null);
        }
        if (environmentRoot != null
                && transport == Transport.SSH
                && !environmentRoot.startsWith("/")
                && environmentRootNode.isPresent()
                && !relativeRootReported) {
            relativeRootReported = true;
            YamlValues.expected(
                    problems,
                    environmentRootNode.get(),
                    "root",
                    DefinitionPatterns.ABSOLUTE_EXPECTED + " (ssh hosts need one)");
        }
        return environmentRoot;
    }

    /** Roots must be absolute on ssh hosts; local hosts may use a folder relative to Conveyor's data directory. */
    static boolean checkRoot(Node node, String path, String root, Transport transport, Problems problems) {
        boolean valid = DefinitionPatterns.isAbsolutePath(root)
                || (transport != Transport.SSH && DefinitionPatterns.isRelativePath(root));
        if (!valid) {
            YamlValues.expected(
                    problems,
                    node,
                    path,
                    transport == Transport.SSH
                            ? DefinitionPatterns.ABSOLUTE_EXPECTED + " (ssh hosts need one)"
                            : DefinitionPatterns.ABSOLUTE_EXPECTED + " or a relative folder like hosts/demo");
        }
        return valid;
    }

    private boolean checkRoot(Node node, String path, String root, Transport transport) {
        return checkRoot(node, path, root, transport, problems);
    }
}
