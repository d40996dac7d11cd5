package org.cnx.conveyor.environment.definition;

import java.util.List;
import java.util.Optional;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.DatabaseRef;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.SuperUser;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Transport;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Binds the optional {@code database} mapping: a JDBC URL, a database reached through an ssh host, or a database on
 * Conveyor's own PostgreSQL server ({@code embedded}).
 */
final class DatabaseBinder {

    static final List<String> SERVER_DATABASES = List.of("postgres", "template0", "template1");
    static final List<String> KEYS =
            List.of("url", "via", "embedded", "host", "port", "name", "user", "password", "superuser", "seed");
    private static final String URL_EXPECTED = "a JDBC URL like jdbc:postgresql://HOST:5432/NAME";

    private DatabaseBinder() {}

    static Optional<DatabaseRef> bind(Node node, List<Host> hosts, Problems problems) {
        return MappingFields.of(node, "database", "a mapping of database settings", KEYS, problems)
                .map(fields -> bind(fields, hosts, problems));
    }

    private static DatabaseRef bind(MappingFields fields, List<Host> hosts, Problems problems) {
        boolean hasUrl = fields.has("url");
        boolean hasVia = fields.has("via");
        boolean hasEmbedded = fields.has("embedded");
        int ways = (hasUrl ? 1 : 0) + (hasVia ? 1 : 0) + (hasEmbedded ? 1 : 0);
        if (ways != 1) {
            problems.add(
                    fields.node(),
                    fields.path(),
                    "expected exactly one of url, via or embedded, found "
                            + (ways == 0 ? "none" : ways == 2 ? "two" : "all three"));
        }
        if (hasEmbedded && !hasUrl && !hasVia) {
            fields.forbid(
                    "superuser",
                    "superuser is not used with embedded (migrations never get Conveyor's own server's superuser)");
            List.of("host", "port", "name", "user", "password")
                    .forEach(
                            key -> fields.forbid(
                                    key,
                                    key
                                            + " is not used with embedded (Conveyor connects to its own server with its own credentials)"));
            Optional<String> embedded = fields.requiredMatching(
                    "embedded",
                    DefinitionPatterns.EMBEDDED_DATABASE,
                    "a database name matching ^[a-z][a-z0-9_]{0,62}$");
            embedded = embedded.filter(name -> {
                // PostgreSQL's own databases: handing one of them to an environment's role would give it the server.
                boolean reserved = SERVER_DATABASES.contains(name);
                if (reserved) {
                    YamlValues.expected(
                            problems,
                            fields.value("embedded").orElseThrow(),
                            fields.path("embedded"),
                            "a database of the environment's own, not one of PostgreSQL's ("
                                    + String.join(", ", SERVER_DATABASES) + ")");
                }
                return !reserved;
            });
            return new DatabaseRef(
                    Optional.empty(),
                    Optional.empty(),
                    embedded,
                    DatabaseRef.DEFAULT_HOST,
                    DatabaseRef.DEFAULT_PORT,
                    Optional.empty(),
                    null,
                    null,
                    Optional.empty(),
                    fields.matching(
                            "seed",
                            DefinitionPatterns.NAME,
                            "the name of an environment whose snapshots seed this database"));
        }
        Optional<String> url = fields.secretAllowing("url", URL_EXPECTED).filter(value -> {
            boolean valid = value.startsWith("jdbc:postgresql://");
            if (!valid) {
                YamlValues.expected(problems, fields.value("url").orElseThrow(), fields.path("url"), URL_EXPECTED);
            }
            return valid;
        });
        Optional<String> via = fields.value("via").flatMap(viaNode -> via(viaNode, hosts, problems));
        Optional<String> name = Optional.empty();
        if (hasUrl && !hasVia) {
            List.of("host", "port", "name").forEach(key -> fields.forbid(key, key + " is only used with via"));
        } else if (hasVia) {
            name = fields.requiredMatching("name", DefinitionPatterns.DATABASE_NAME, "a database name");
        }
        String host = fields.matching("host", DefinitionPatterns.ADDRESS, "a host name or IP address")
                .orElse(DatabaseRef.DEFAULT_HOST);
        int port = fields.integer("port", 1, 65535).orElse(DatabaseRef.DEFAULT_PORT);
        String user = fields.required("user", "a database user name")
                .flatMap(userNode ->
                        SecretValues.allowing(userNode, fields.path("user"), "a database user name", problems))
                .orElse(null);
        String password = fields.requiredSecret("password").orElse(null);
        Optional<SuperUser> superuser = fields.value("superuser").flatMap(node -> superuser(node, problems));
        fields.forbid("seed", "seed is only used with embedded (snapshots are restored into Conveyor's own server)");
        return new DatabaseRef(
                url, via, Optional.empty(), host, port, name, user, password, superuser, Optional.empty());
    }

    /** {@code superuser: {user, password}}: what db-migrator's {@code super_user()} connects as. */
    private static Optional<SuperUser> superuser(Node node, Problems problems) {
        return MappingFields.of(
                        node,
                        "database.superuser",
                        "a mapping with user and password (a secret reference)",
                        List.of("user", "password"),
                        problems)
                .flatMap(fields -> {
                    Optional<String> user = fields.required("user", "a database user name")
                            .flatMap(userNode -> SecretValues.allowing(
                                    userNode, fields.path("user"), "a database user name", problems));
                    Optional<String> password = fields.requiredSecret("password");
                    return user.flatMap(u -> password.map(p -> new SuperUser(u, p)));
                });
    }

    private static Optional<String> via(Node node, List<Host> hosts, Problems problems) {
        List<String> sshHosts = hosts.stream()
                .filter(host -> host.transport() == Transport.SSH && host.name() != null)
                .map(Host::name)
                .toList();
        String expected = "the name of an ssh host (" + String.join(", ", sshHosts) + ")";
        return YamlValues.text(node, "database.via", expected, problems).filter(name -> {
            boolean known = sshHosts.contains(name);
            if (!known) {
                YamlValues.expected(problems, node, "database.via", expected);
            }
            return known;
        });
    }
}
