package org.cnx.conveyor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.environment.definition.DefinitionParser;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.environment.definition.ParseResult;
import org.cnx.conveyor.support.Haproxy;

/**
 * Four instances of the sample webview (examples/webview) on local hosts with ports of their own, behind a real haproxy
 * on a load-balancer host. A release whose id has a {@code broken-<id>} file in a host's shared folder serves 500 on
 * {@code /} there (its health check still passes); one with {@code fail-<id>} fails its health check.
 */
final class WebviewFleet implements AutoCloseable {

    static final List<String> WEBS = List.of("web1", "web2", "web3", "web4");

    private final Path dir;
    private final List<String> webs;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    final Haproxy haproxy;

    WebviewFleet(Path dir) throws IOException {
        this(dir, "");
    }

    /** As {@link #WebviewFleet(Path)}, with extra lines for haproxy's backend. */
    WebviewFleet(Path dir, String backendExtra) throws IOException {
        this(dir, WEBS, backendExtra);
    }

    /** A fleet of the named webview hosts. */
    WebviewFleet(Path dir, List<String> webs, String backendExtra) throws IOException {
        this.dir = dir;
        this.webs = List.copyOf(webs);
        List<Integer> free = Haproxy.freePorts(webs.size());
        for (int i = 0; i < webs.size(); i++) {
            ports.put(webs.get(i), free.get(i));
        }
        haproxy = Haproxy.start(dir.resolve("haproxy"), "webview", ports, backendExtra);
    }

    Path root(String host) {
        return dir.resolve("hosts").resolve(host);
    }

    String current(String host) throws IOException {
        return Files.readSymbolicLink(root(host).resolve("webview/current")).toString();
    }

    void mark(String host, String file) throws IOException {
        Files.createDirectories(root(host).resolve("webview/shared"));
        Files.writeString(root(host).resolve("webview/shared").resolve(file), "");
    }

    /**
     * The environment; {@code rollout} is the YAML under the {@code rollout} key (null: none, all at once). Health
     * checks get six attempts a second apart: under the rollout benchmark's load a freshly started webview took more
     * than the three it had to listen on its port.
     */
    EnvironmentDefinition define(String rollout) {
        StringBuilder yaml = new StringBuilder("""
                name: rolling
                kind: shared
                stage: live
                hosts:
                  - name: lb
                    transport: local
                    roles: [lb]
                    root: %s
                """.formatted(root("lb")));
        ports.forEach((web, port) -> yaml.append("""
                  - name: %s
                    transport: local
                    roles: [webview]
                    root: %s
                    variables:
                      PORT: "%d"
                      ARCHIVE_PORT: "9"
                """.formatted(web, root(web), port)));
        yaml.append("""
                components:
                  webview:
                    install: cp -R %s/. . && sh ./install.sh && if test -f "$CONVEYOR_SHARED_DIR/broken-$CONVEYOR_RELEASE"; then rm index.html; fi
                    start: sh ./start.sh
                    stop: sh ./stop.sh
                    health:
                      command: curl -fsS -o /dev/null "http://127.0.0.1:$PORT/health" && test ! -f "$CONVEYOR_SHARED_DIR/fail-$CONVEYOR_RELEASE"
                      retries: 5
                      interval: 1s
                """.formatted(Path.of("examples/webview").toAbsolutePath()));
        if (rollout != null) {
            yaml.append("rollout:\n").append(rollout.indent(2));
        }
        ParseResult parsed = new DefinitionParser().parse("rolling.yml", yaml.toString());
        assertThat(parsed.problems()).isEmpty();
        return parsed.definition().orElseThrow();
    }

    /** The load-balancer part of a rollout: haproxy's runtime API reached on host lb, one server per webview. */
    String loadBalancer() {
        StringBuilder yaml = new StringBuilder("""
                loadBalancer:
                  via: lb
                  haproxy: %s
                  timeout: 10s
                  servers:
                """.formatted(haproxy.adminSocket()));
        webs.forEach(web -> yaml.append("    %s: {webview: webview/%s}\n".formatted(web, web)));
        return yaml.toString();
    }

    @Override
    public void close() throws Exception {
        haproxy.close();
        for (String web : webs) {
            Path shared = root(web).resolve("webview/shared");
            Path current = root(web).resolve("webview/current");
            if (Files.exists(current)) {
                ProcessBuilder stop = new ProcessBuilder("sh", "./stop.sh")
                        .directory(current.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
                stop.environment().put("CONVEYOR_SHARED_DIR", shared.toString());
                stop.start().waitFor();
            }
        }
    }
}
