package org.cnx.conveyor.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fake SSH hosts plus an environment definition over them, deploying the {@code echo} test stack:
 * every host runs component {@code app}, whose service answers with its release.
 */
public final class Fleet implements AutoCloseable {

    public static final String KEY_SECRET = "fleet-ssh-key";
    public static final String API_KEY_SECRET = "fleet-api-key";
    public static final String API_KEY_VALUE = "fleet-secret-value-4711";

    private final List<TestSshHost> hosts;

    private Fleet(List<TestSshHost> hosts) {
        this.hosts = hosts;
    }

    /** {@code mina} in-JVM hosts plus {@code openssh} real sshd hosts (when sshd is installed). */
    public static Fleet start(String prefix, int mina, int openssh) {
        List<TestSshHost> hosts = new ArrayList<>();
        for (int i = 1; i <= mina; i++) {
            hosts.add(MinaSshHost.start(prefix + "-m" + i));
        }
        for (int i = 1; i <= openssh; i++) {
            hosts.add(OpenSshHost.start(prefix + "-o" + i));
        }
        Api.asAdmin().body(Map.of("value", TestKeys.deployKey().privateKey())).put("/api/secrets/" + KEY_SECRET);
        Api.asAdmin().body(Map.of("value", API_KEY_VALUE)).put("/api/secrets/" + API_KEY_SECRET);
        return new Fleet(hosts);
    }

    public List<TestSshHost> hosts() {
        return hosts;
    }

    public TestSshHost host(int index) {
        return hosts.get(index);
    }

    /** Where environment {@code env} lives on a host. */
    public Path root(TestSshHost host, String env) {
        return host.dir().resolve("roots").resolve(env).toAbsolutePath();
    }

    /** Writes and loads a definition of environment {@code env} over every host of the fleet. */
    public void define(String env) {
        define(env, hosts);
    }

    /** Writes and loads a definition of environment {@code env} over the given hosts. */
    public void define(String env, List<TestSshHost> members) {
        define(env, members, null);
    }

    /**
     * Like {@link #define(String, List)}, plus component {@code db} (role db on the first host) carrying the migrations
     * of {@link MigrationStack} artifacts, and the given {@code database:} block (YAML, indented by two spaces).
     */
    public void defineWithDatabase(String env, List<TestSshHost> members, String database) {
        define(env, members, database);
    }

    private void define(String env, List<TestSshHost> members, String database) {
        StringBuilder yaml = new StringBuilder("""
                name: %s
                kind: shared
                stage: dev
                keepReleases: 3
                hosts:
                """.formatted(env));
        for (TestSshHost host : members) {
            yaml.append("""
                      - name: %s
                        address: 127.0.0.1
                        port: %d
                        user: %s
                        hostKey: "%s"
                        key: ${secret:%s}
                        root: %s
                        roles: [%s]
                    """.formatted(
                            host.name(),
                            host.port(),
                            System.getProperty("user.name"),
                            host.hostKeyFingerprint(),
                            KEY_SECRET,
                            root(host, env),
                            database != null && host == members.get(0) ? "app, db" : "app"));
        }
        yaml.append("""
                components:
                  app:
                    install: ./install.sh
                    start: ./start.sh
                    stop: ./stop.sh
                    health:
                      command: ./health.sh
                      retries: 2
                      interval: 1s
                      timeout: 5s
                variables:
                  API_KEY: ${secret:%s}
                """.formatted(API_KEY_SECRET));
        if (database != null) {
            int variables = yaml.indexOf("variables:");
            yaml.insert(variables, """
                      db:
                        migrations: migrations
                        start: ./start.sh
                        stop: ./stop.sh
                    """);
            yaml.append("database:\n").append(database);
        }
        TestEnvironments.write(env + ".yml", yaml.toString());
        Api.asAdmin()
                .post("/api/environments/sync")
                .then()
                .statusCode(200)
                .body("environments", org.hamcrest.Matchers.hasItem(env));
    }

    /** Creates a release of the echo stack at a version (a different artifact per version). */
    public static long release(String version) {
        Path artifact = EchoStack.artifact(version);
        return Api.asAdmin()
                .body(Map.of(
                        "components",
                        Map.of("app", Map.of("version", version, "artifact", Map.of("path", artifact.toString())))))
                .post("/api/releases")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    /** Where {@code current} of component app points on a host, e.g. {@code releases/7}. */
    public String current(TestSshHost host, String env) {
        Path link = root(host, env).resolve("app/current");
        try {
            return Files.isSymbolicLink(link) ? Files.readSymbolicLink(link).toString() : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The release the host's running service answers with, or "down". */
    public String answeringRelease(TestSshHost host, String env) {
        Path portFile = root(host, env).resolve("app/shared/port");
        try {
            String port = Files.readString(portFile).trim();
            String body = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            return body.replaceAll(".*\"release\": \"([0-9]+)\".*", "$1");
        } catch (IOException e) {
            return "down";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "down";
        }
    }

    /** Puts a marker file in a host's root (fail-install, fail-health, pause-stop). */
    public void mark(TestSshHost host, String env, String marker) {
        mark(host, env, marker, "");
    }

    public void mark(TestSshHost host, String env, String marker, String content) {
        try {
            Files.createDirectories(root(host, env));
            Files.writeString(root(host, env).resolve(marker), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void unmark(TestSshHost host, String env, String marker) {
        try {
            Files.deleteIfExists(root(host, env).resolve(marker));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops every service the fleet's environments started. */
    public void stopServices() {
        for (TestSshHost host : hosts) {
            Path roots = host.dir().resolve("roots");
            if (!Files.isDirectory(roots)) {
                continue;
            }
            try (var envs = Files.list(roots)) {
                envs.forEach(envRoot -> EchoStack.stop(envRoot.resolve("app")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close() {
        stopServices();
        hosts.forEach(TestSshHost::close);
    }
}
