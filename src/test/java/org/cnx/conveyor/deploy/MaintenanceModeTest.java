package org.cnx.conveyor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.job.JobStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release that asks for maintenance mode: haproxy answers its maintenance page while the migrations run, the real site
 * before and after; a release that does not ask keeps the site up during its migrations.
 */
class MaintenanceModeTest {

    private static final String PAGE = "cnx.org is down for maintenance";

    @TempDir
    Path dir;

    private WebviewFleet fleet;
    private final LocalDeploys deploys = new LocalDeploys("webview");
    private final List<String> seenDuringMigrate = new ArrayList<>();

    @BeforeEach
    void startHaproxyWithAMaintenancePage() throws IOException {
        Path page = Files.createDirectories(dir.resolve("pages")).resolve("maintenance.http");
        Files.writeString(
                page,
                "HTTP/1.0 503 Service Unavailable\r\nCache-Control: no-cache\r\nConnection: close\r\n"
                        + "Content-Type: text/html\r\n\r\n<html><body><h1>" + PAGE + "</h1></body></html>\n");
        fleet = new WebviewFleet(dir, "    errorfile 503 " + page + "\n");
        deploys.databaseSide = new ProbingDatabase();
    }

    @AfterEach
    void stopEverything() throws Exception {
        fleet.close();
    }

    @Test
    void duringTheMigratePhaseHaproxyAnswersTheMaintenancePageAndTheRealSiteBeforeAndAfter() throws Exception {
        EnvironmentDefinition definition = define();
        assertThat(deploys.deploy(definition, 1, null).row().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(get()).startsWith("200").contains("\"release\": \"1\"");

        deploys.notes = "schema change that locks the books table " + Target.MAINTENANCE_FLAG;
        MemoryJob job = deploys.deploy(definition, 2, 1L);

        assertThat(job.row().status()).as(String.join("\n", job.logLines())).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(seenDuringMigrate).hasSize(2);
        assertThat(seenDuringMigrate.get(1)).startsWith("503").contains(PAGE);
        assertThat(get()).startsWith("200").contains("\"release\": \"2\"");
        assertThat(job.logLines()).anyMatch(line -> line.contains("maintenance mode on"));
    }

    @Test
    void aReleaseThatDoesNotAskForMaintenanceKeepsTheSiteUpDuringItsMigrations() throws Exception {
        EnvironmentDefinition definition = define();
        assertThat(deploys.deploy(definition, 1, null).row().status()).isEqualTo(JobStatus.SUCCEEDED);

        assertThat(deploys.deploy(definition, 2, 1L).row().status()).isEqualTo(JobStatus.SUCCEEDED);

        assertThat(seenDuringMigrate).hasSize(2);
        assertThat(seenDuringMigrate.get(1)).startsWith("200");
    }

    @Test
    void aFailedDeployInMaintenanceModeLeavesItAfterTheRollback() throws Exception {
        EnvironmentDefinition definition = define();
        assertThat(deploys.deploy(definition, 1, null).row().status()).isEqualTo(JobStatus.SUCCEEDED);
        fleet.mark("web2", "fail-2");

        deploys.notes = Target.MAINTENANCE_FLAG;
        MemoryJob job = deploys.deploy(definition, 2, 1L);

        assertThat(job.row().status()).as(String.join("\n", job.logLines())).isEqualTo(JobStatus.ROLLED_BACK);
        assertThat(seenDuringMigrate.get(1)).startsWith("503");
        assertThat(get()).startsWith("200").contains("\"release\": \"1\"");
    }

    private EnvironmentDefinition define() {
        return fleet.define("batchSize: 1\n" + fleet.loadBalancer() + "maintenance:\n  always: false\n");
    }

    private String get() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(fleet.haproxy.url("/health")))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    /** The migrate phase: records what a visitor sees through haproxy while it runs. */
    final class ProbingDatabase implements DeployDatabase {
        @Override
        public Optional<String> run() {
            try {
                seenDuringMigrate.add(get());
            } catch (IOException | InterruptedException e) {
                seenDuringMigrate.add("error " + e);
            }
            return Optional.empty();
        }

        @Override
        public boolean changedDatabase() {
            return false;
        }

        @Override
        public List<String> compensate() {
            return List.of();
        }

        @Override
        public void afterCommit() {}
    }
}
