package org.cnx.conveyor.environment.definition;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.cnx.conveyor.common.DataDirectory;
import org.cnx.conveyor.common.MigrationFormat;
import org.cnx.conveyor.transport.Endpoint;
import org.cnx.conveyor.transport.SshEndpoint;

/**
 * An environment as declared in an {@code environments/*.yml} file, after validation.
 *
 * <p>Optional settings are already resolved to their defaults; string values that may hold secret
 * references keep them unresolved as {@code ${secret:NAME}}.
 */
public record EnvironmentDefinition(
        String name,
        Kind kind,
        String stage,
        Optional<String> description,
        int approvals,
        Optional<String> url,
        Optional<Duration> ttl,
        String root,
        int keepReleases,
        List<Host> hosts,
        Map<String, Component> components,
        Optional<DatabaseRef> database,
        Map<String, String> variables,
        RolloutSpec rollout,
        Map<String, RunbookSpec> runbooks,
        Optional<SnapshotSpec> snapshots) {

    /** Default folder under which component folders live on a host. */
    public static final String DEFAULT_ROOT = "/srv/conveyor";

    public EnvironmentDefinition {
        hosts = List.copyOf(hosts);
        components = Collections.unmodifiableMap(new LinkedHashMap<>(components));
        variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
        runbooks = Collections.unmodifiableMap(new LinkedHashMap<>(runbooks));
    }

    /** A protected environment takes releases only through promotions its leads approved. */
    public boolean isProtected() {
        return approvals > 0;
    }

    /** What an environment is for; decides defaults such as approvals and whether it may expire. */
    public enum Kind {
        PERSONAL,
        PREVIEW,
        SHARED,
        PRODUCTION;

        /** The spelling used in definition files. */
        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Personal clones and previews are temporary and may carry a time-to-live. */
        public boolean mayExpire() {
            return this == PERSONAL || this == PREVIEW;
        }

        /** Developers deploy personal clones and previews themselves: their local hosts must be sandboxed. */
        public boolean isDeveloperDeployable() {
            return this == PERSONAL || this == PREVIEW;
        }
    }

    /**
     * How Conveyor reaches a host: over SSH, as plain processes on Conveyor's machine (trusted environments only), or
     * as processes on Conveyor's machine in a sandbox (an unprivileged uid of its own in its own mount namespace).
     */
    public enum Transport {
        SSH,
        LOCAL,
        SANDBOX;

        /** True for the transports that run commands on Conveyor's own machine (with roots relative to its data dir). */
        public boolean isOnConveyorMachine() {
            return this != SSH;
        }

        /** The spelling used in definition files. */
        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One machine of the environment. {@code root} is the effective root (the host's own or the environment's).
     * SSH-only settings are empty for local hosts.
     */
    public record Host(
            String name,
            Transport transport,
            Optional<String> address,
            int port,
            Optional<String> user,
            List<String> roles,
            Optional<String> hostKey,
            Optional<String> knownHosts,
            Optional<String> key,
            String root,
            Map<String, String> variables) {

        public Host {
            roles = List.copyOf(roles);
            variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
        }

        /** A host without variables of its own. */
        public Host(
                String name,
                Transport transport,
                Optional<String> address,
                int port,
                Optional<String> user,
                List<String> roles,
                Optional<String> hostKey,
                Optional<String> knownHosts,
                Optional<String> key,
                String root) {
            this(name, transport, address, port, user, roles, hostKey, knownHosts, key, root, Map.of());
        }

        /** True when this host runs components of the given role. */
        public boolean hasRole(String role) {
            return roles.contains(role);
        }

        /** The host's root as an absolute path on the host: hosts on Conveyor's machine may name one in the data dir. */
        public String absoluteRoot() {
            Path path = Path.of(root);
            if (transport.isOnConveyorMachine() && !path.isAbsolute()) {
                return DataDirectory.resolve().resolve(path).normalize().toString();
            }
            return root;
        }

        /** How a transport reaches this host (of a validated definition). */
        public Endpoint endpoint() {
            return switch (transport) {
                case LOCAL -> new Endpoint.Local(name);
                case SANDBOX -> new Endpoint.Sandbox(name, Path.of(absoluteRoot()));
                case SSH -> sshEndpoint();
            };
        }

        private SshEndpoint sshEndpoint() {
            Set<String> secrets = key.map(SecretReferences::namesIn).orElse(Set.of());
            if (secrets.size() != 1) {
                throw new IllegalArgumentException("host " + name + " needs key: ${secret:NAME}, found " + key);
            }
            return new SshEndpoint(
                    name,
                    address.orElseThrow(() -> new IllegalArgumentException("host " + name + " has no address")),
                    port,
                    user.orElseThrow(() -> new IllegalArgumentException("host " + name + " has no user")),
                    secrets.iterator().next(),
                    hostKey,
                    knownHosts);
        }
    }

    /** A component's recipe: how to install, start, stop, migrate and health-check it. */
    public record Component(
            String name,
            String role,
            OptionalInt port,
            Optional<String> install,
            String start,
            String stop,
            Optional<String> migrate,
            Optional<MigrationsRecipe> migrations,
            Optional<HealthCheck> health,
            Map<String, String> env) {

        public Component {
            env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        }
    }

    /**
     * Where a component's migrations are and how they are written: {@code folder} inside its artifact, the
     * {@code format}, the Python interpreter db-migrator files run with (relative paths are inside the component's
     * release folder on the host), and {@code support}: glob patterns of files in the folder that are not migrations.
     */
    public record MigrationsRecipe(String folder, MigrationFormat format, String python, List<String> support) {

        public static final String DEFAULT_PYTHON = "python3";

        public MigrationsRecipe {
            support = List.copyOf(support);
        }

        /** A Flyway-format folder with no support files: what the short form {@code migrations: FOLDER} means. */
        public static MigrationsRecipe flyway(String folder) {
            return new MigrationsRecipe(folder, MigrationFormat.FLYWAY, DEFAULT_PYTHON, List.of());
        }
    }

    /** How to tell that a started component works: exactly one of an HTTP URL or a shell command. */
    public record HealthCheck(
            Optional<String> http, Optional<String> command, Duration timeout, int retries, Duration interval) {

        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
        public static final int DEFAULT_RETRIES = 10;
        public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

        /** True for an HTTP check, false for a command check. */
        @JsonIgnore
        public boolean isHttp() {
            return http.isPresent();
        }
    }

    /**
     * The environment's database: a JDBC {@code url}, or reached through an SSH tunnel from host {@code via} to
     * {@code host:port/name}, or {@code embedded}: a database of that name on Conveyor's own PostgreSQL server (then
     * {@code user} and {@code password} are null). {@code password} is otherwise always a secret reference. {@code seed}
     * names the environment whose newest snapshot fills an embedded database when it is created (or reset).
     */
    public record DatabaseRef(
            Optional<String> url,
            Optional<String> via,
            Optional<String> embedded,
            String host,
            int port,
            Optional<String> name,
            String user,
            String password,
            Optional<SuperUser> superuser,
            Optional<String> seed) {

        public static final String DEFAULT_HOST = "localhost";
        public static final int DEFAULT_PORT = 5432;

        /** True when the database is only reachable through an SSH tunnel. */
        @JsonIgnore
        public boolean isTunnelled() {
            return via.isPresent();
        }
    }

    /**
     * Superuser credentials handed to db-migrator's {@code super_user()}: only ever these, never Conveyor's own.
     * {@code password} is a secret reference.
     */
    public record SuperUser(String user, String password) {}

    /** The hosts that run the given component (those having its role), in file order. */
    public List<Host> hostsFor(Component component) {
        return hostsWithRole(component.role());
    }

    /** The hosts having the given role, in file order. */
    public List<Host> hostsWithRole(String role) {
        return hosts.stream().filter(host -> host.hasRole(role)).toList();
    }

    /** The host with the given name, if any. */
    public Optional<Host> host(String hostName) {
        return hosts.stream().filter(host -> host.name().equals(hostName)).findFirst();
    }

    /** The component with the given name, if any. */
    public Optional<Component> component(String componentName) {
        return Optional.ofNullable(components.get(componentName));
    }

    /** Every secret name this definition references, so missing secrets can be reported before a deploy. */
    public Set<String> secretNames() {
        Set<String> names = new LinkedHashSet<>();
        hosts.forEach(host -> host.key().ifPresent(key -> names.addAll(SecretReferences.namesIn(key))));
        hosts.forEach(
                host -> host.variables().values().forEach(value -> names.addAll(SecretReferences.namesIn(value))));
        components
                .values()
                .forEach(component ->
                        component.env().values().forEach(value -> names.addAll(SecretReferences.namesIn(value))));
        database.ifPresent(db -> {
            db.url().ifPresent(url -> names.addAll(SecretReferences.namesIn(url)));
            if (db.embedded().isEmpty()) {
                names.addAll(SecretReferences.namesIn(db.user()));
                names.addAll(SecretReferences.namesIn(db.password()));
            }
            db.superuser().ifPresent(superuser -> {
                names.addAll(SecretReferences.namesIn(superuser.user()));
                names.addAll(SecretReferences.namesIn(superuser.password()));
            });
        });
        variables.values().forEach(value -> names.addAll(SecretReferences.namesIn(value)));
        return Collections.unmodifiableSet(names);
    }
}
