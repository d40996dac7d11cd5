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
import org.cnx.conveyor.job.JobStatus;
import org.cnx.conveyor.job.Phase;
import org.cnx.conveyor.support.Haproxy;
import org.cnx.conveyor.support.LoadGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four instances of the sample webview behind a real haproxy, deployed with the real engine while a load generator
 * sends requests through haproxy: a rolling deploy and a rolling rollback drop none, and every instance moves from the
 * old release to the new once; the same load during an all-at-once deploy is printed for contrast.
 */
class RollingDeployTest {

    static final List<String> WEBS = List.of("web1", "web2", "web3", "web4");

    @TempDir
    Path dir;

    private Map<String, Integer> ports;
    private Haproxy haproxy;
    private final LocalDeploys deploys = new LocalDeploys("webview");

    @BeforeEach
    void startHaproxyInFrontOfFourPorts() throws IOException {
        ports = new LinkedHashMap<>();
        List<Integer> free = Haproxy.freePorts(WEBS.size());
        for (int i = 0; i < WEBS.size(); i++) {
            ports.put(WEBS.get(i), free.get(i));
        }
        haproxy = Haproxy.start(dir.resolve("haproxy"), "webview", ports);
    }

    @AfterEach
    void stopEverything() throws Exception {
        haproxy.close();
        for (String web : WEBS) {
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

    @Test
    void aRollingDeployAndARollingRollbackFailNoRequestWhileAllAtOnceIsPrintedForContrast() {
        EnvironmentDefinition rolling = define(true);
        assertThat(deploys.deploy(rolling, 1, null).row().status()).isEqualTo(JobStatus.SUCCEEDED);

        Figures deploy = underLoad(() -> deploys.deploy(rolling, 2, 1L), JobStatus.SUCCEEDED);
        assertThat(deploy.failures)
                .as("failed requests during the rolling deploy")
                .isEmpty();
        WEBS.forEach(web -> assertThat(deploy.releases.get(web)).as(web).containsExactly("1", "2"));

        Figures rollback = underLoad(() -> deploys.deploy(rolling, 1, 2L), JobStatus.SUCCEEDED);
        assertThat(rollback.failures)
                .as("failed requests during the rolling rollback")
                .isEmpty();
        WEBS.forEach(web -> assertThat(rollback.releases.get(web)).as(web).containsExactly("2", "1"));

        Figures allAtOnce = underLoad(() -> deploys.deploy(define(false), 3, 1L), JobStatus.SUCCEEDED);
        System.out.printf(
                "failed requests through haproxy (4 webview instances, 4 clients): rolling deploy %d of %d (p99 %.1f ms),"
                        + " rolling rollback %d of %d (p99 %.1f ms), all-at-once deploy %d of %d (p99 %.1f ms)%n",
                deploy.failures.size(),
                deploy.total,
                deploy.p99,
                rollback.failures.size(),
                rollback.total,
                rollback.p99,
                allAtOnce.failures.size(),
                allAtOnce.total,
                allAtOnce.p99);
    }

    @Test
    void whenBatchThreeOfFourFailsVerifyBatchesOneToThreeGoBackAndFourIsNeverTouched() throws IOException {
        EnvironmentDefinition rolling = define(true);
        assertThat(deploys.deploy(rolling, 1, null).row().status()).isEqualTo(JobStatus.SUCCEEDED);
        Files.writeString(root("web3").resolve("webview/shared/fail-2"), "");

        MemoryJob[] job = new MemoryJob[1];
        Figures figures = underLoad(() -> job[0] = deploys.deploy(rolling, 2, 1L), JobStatus.ROLLED_BACK);

        assertThat(job[0].row().error).contains("verify failed on web3").contains("batch 3/4");
        assertThat(figures.failures)
                .as("failed requests during the failed rollout")
                .isEmpty();
        for (String web : WEBS) {
            assertThat(Files.readSymbolicLink(root(web).resolve("webview/current"))
                            .toString())
                    .as(web)
                    .isEqualTo("releases/1");
        }
        assertThat(job[0].steps())
                .filteredOn(s -> s.phase == Phase.SWITCH && s.action.equals("switch"))
                .extracting(s -> s.host)
                .containsExactly("web1", "web2", "web3");
        assertThat(job[0].steps())
                .filteredOn(s -> s.phase == Phase.ROLLBACK && s.action.equals("restore"))
                .extracting(s -> s.host)
                .as("put back last batch first")
                .containsExactly("web3", "web2", "web1");
        assertThat(figures.releases.get("web4")).containsExactly("1");
        assertThat(figures.releases.get("web1")).containsExactly("1", "2", "1");
        assertThat(figures.releases.get("web2")).containsExactly("1", "2", "1");
        assertThat(figures.releases.get("web3"))
                .as("web3 failed its health check, so haproxy never sent it traffic on release 2")
                .containsExactly("1");
    }

    /** What the load saw while {@code deploy} ran. */
    record Figures(List<String> failures, Map<String, List<String>> releases, int total, double p99) {}

    private Figures underLoad(java.util.function.Supplier<MemoryJob> deploy, JobStatus expected) {
        try (LoadGenerator load = LoadGenerator.start(haproxy.url("/health"), 4)) {
            load.awaitRequests(40);
            MemoryJob job = deploy.get();
            assertThat(job.row().status()).as(String.join("\n", job.logLines())).isEqualTo(expected);
            load.awaitRequests(40);
            load.close();
            return new Figures(load.failures(), load.releasesByServer(), load.total(), load.p99Millis());
        }
    }

    private Path root(String host) {
        return dir.resolve("hosts").resolve(host);
    }

    /** Four webview hosts and a load-balancer host; rolling one host at a time behind haproxy, or all at once. */
    private EnvironmentDefinition define(boolean rolling) {
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
                    install: cp -R %s/. . && sh ./install.sh
                    start: sh ./start.sh
                    stop: sh ./stop.sh
                    health:
                      command: curl -fsS -o /dev/null "http://127.0.0.1:$PORT/health" && test ! -f "$CONVEYOR_SHARED_DIR/fail-$CONVEYOR_RELEASE"
                      retries: 2
                      interval: 1s
                """.formatted(Path.of("examples/webview").toAbsolutePath()));
        if (rolling) {
            yaml.append("""
                    rollout:
                      batchSize: 1
                      loadBalancer:
                        via: lb
                        haproxy: %s
                        timeout: 10s
                        servers:
                    """.formatted(haproxy.adminSocket()));
            WEBS.forEach(web -> yaml.append("      %s: {webview: webview/%s}\n".formatted(web, web)));
        }
        ParseResult parsed = new DefinitionParser().parse("rolling.yml", yaml.toString());
        assertThat(parsed.problems()).isEmpty();
        return parsed.definition().orElseThrow();
    }
}
