package org.cnx.conveyor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.TestEnvironments;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code conveyor}, the command line, against a running Conveyor: what a CI job and a terminal user do with it. */
@QuarkusTest
class CommandLineTest {

    @TestHTTPResource("/")
    URL conveyor;

    private static final Path WORK = Path.of("target", "cli-test").toAbsolutePath();

    /** What one run printed and how it exited. */
    record Run(int exit, String out, String err) {}

    private static boolean written;

    @BeforeEach
    void anEnvironmentWhoseAppRefusesToStartAtVersionTwo() {
        if (written) {
            return;
        }
        written = true;
        TestEnvironments.write("cli-dev.yml", """
                name: cli-dev
                kind: shared
                stage: dev
                root: hosts/cli-dev
                hosts:
                  - name: local
                    transport: local
                    roles: [app]
                components:
                  app:
                    start: 'echo "starting app $CONVEYOR_VERSION"; test "$CONVEYOR_VERSION" != 2.0'
                    stop: "true"
                """);
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
    }

    @Test
    void releaseCreateUploadsWhatConveyorLacksAndDeployFollowPrintsTheLiveLogAndSucceeds() throws Exception {
        Path folder = artifacts("ok", "1.0");

        Run created = cli(
                "release",
                "create",
                folder.toString(),
                "--notes",
                "from the command line",
                "--commit",
                "0123abcd",
                "--committed-at",
                "2026-11-28T10:12:44-05:00");

        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).contains("uploaded app-1.0.tar.gz");
        long release = lastNumber(created.out());
        Api.asAdmin()
                .get("/api/releases/" + release)
                .then()
                .statusCode(200)
                .body("components.app.version", org.hamcrest.Matchers.equalTo("1.0"))
                .body("source.committedAt", org.hamcrest.Matchers.equalTo("2026-11-28T15:12:44Z"))
                .body(
                        "components.app.artifact.sha256",
                        org.hamcrest.Matchers.equalTo(ReleaseFiles.sha256(folder.resolve("app-1.0.tar.gz"))));
        assertThat(cli("release", "create", folder.toString()).out())
                .as("a second release of the same files uploads nothing")
                .contains("have app-1.0.tar.gz already")
                .doesNotContain("uploaded");

        Run deployed = cli("deploy", "cli-dev", Long.toString(release), "--follow");

        assertThat(deployed.exit()).as(deployed.out() + deployed.err()).isEqualTo(0);
        assertThat(deployed.out())
                .contains("starting app 1.0")
                .contains("job succeeded")
                .contains("\u001b[32m"); // in green
    }

    @Test
    void aDeployThatIsRolledBackExitsWithTheRolledBackCode() throws Exception {
        long good = lastNumber(
                cli("release", "create", artifacts("good", "1.0").toString()).out());
        assertThat(cli("deploy", "cli-dev", Long.toString(good), "--follow").exit())
                .isZero();
        long broken = lastNumber(
                cli("release", "create", artifacts("broken", "2.0").toString()).out());

        Run deployed = cli("deploy", "cli-dev", Long.toString(broken), "--follow");

        assertThat(deployed.exit()).as(deployed.out() + deployed.err()).isEqualTo(4);
        assertThat(deployed.out()).contains("starting app 2.0").contains("job rolled_back");
        assertThat(cli("--json", "envs").out()).contains("\"cli-dev\"");
    }

    @Test
    void logsOfAFinishedJobAndJsonOutputServeScripts() throws Exception {
        long release = lastNumber(
                cli("release", "create", artifacts("logs", "1.0").toString()).out());
        Run started = cli("--json", "deploy", "cli-dev", Long.toString(release));
        assertThat(started.exit()).isZero();
        long job = io.restassured.path.json.JsonPath.from(started.out()).getLong("id");

        Run followed = cli("logs", Long.toString(job), "--follow");

        assertThat(followed.exit()).isZero();
        assertThat(cli("logs", Long.toString(job)).out()).contains("starting app 1.0");
    }

    @Test
    void loginSavesTheAddressAndTokenForTheNextCommandsReadableByTheUserAlone() throws Exception {
        Map<String, String> env = environment(null);
        Run login = cli(env, token() + "\n", "login", "--url", conveyor.toString());
        assertThat(login.exit()).as(login.err()).isZero();
        Path saved = WORK.resolve("config").resolve("conveyor").resolve("config.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)))
                .isEqualTo("rw-------");

        Run envs = cli(env, "", "envs");

        assertThat(envs.exit()).as(envs.err()).isZero();
        assertThat(envs.out()).contains("cli-dev");
    }

    @Test
    void aWrongTokenAndAWrongCommandSaySoWithTheirExitCodes() throws Exception {
        Map<String, String> env = environment("cvy_not-a-token");
        Run refused = cli(env, "", "envs");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("conveyor login");
        assertThat(cli(env, "", "frobnicate").exit()).isEqualTo(2);
        assertThat(cli("completion", "bash").out()).contains("complete -F _conveyor conveyor");
    }

    private Run cli(String... args) throws Exception {
        return cli(environment(token()), "", args);
    }

    private Run cli(Map<String, String> env, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new ConveyorCli(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                        env)
                .run(List.of(args));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Map<String, String> environment(String token) {
        Map<String, String> env = new HashMap<>();
        env.put("XDG_CONFIG_HOME", WORK.resolve("config").toString());
        env.put("CLICOLOR_FORCE", "1");
        if (token != null) {
            env.put("CONVEYOR_URL", conveyor.toString());
            env.put("CONVEYOR_TOKEN", token);
        }
        return env;
    }

    private static String token;

    private static synchronized String token() {
        if (token == null) {
            token = Api.asRole("developer")
                    .body(Map.of("name", "cli-" + System.nanoTime()))
                    .post("/api/tokens")
                    .then()
                    .statusCode(201)
                    .extract()
                    .jsonPath()
                    .getString("token");
        }
        return token;
    }

    /** A folder holding {@code app-<version>.tar.gz}, whose content is new each time. */
    private static Path artifacts(String name, String version) throws Exception {
        Path folder = WORK.resolve(name + "-" + System.nanoTime());
        Path content = folder.resolve("content");
        Files.createDirectories(content);
        Files.writeString(content.resolve("app.txt"), "app " + version + " built at " + System.nanoTime() + "\n");
        Process tar = new ProcessBuilder(
                        "tar",
                        "-czf",
                        folder.resolve("app-" + version + ".tar.gz").toString(),
                        "-C",
                        content.toString(),
                        ".")
                .inheritIO()
                .start();
        assertThat(tar.waitFor()).isZero();
        return folder;
    }

    private static long lastNumber(String out) {
        String[] lines = out.strip().split("\n");
        return Long.parseLong(lines[lines.length - 1].strip());
    }
}
