package org.cnx.conveyor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.SampleStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** README's promise: the demo environment deploys the sample stack on this machine, and its link opens the site. */
@QuarkusTest
class DemoDeployTest {

    private static final Path DEMO_ROOT = Path.of("target", "test-data", "hosts", "demo").toAbsolutePath();

    @AfterAll
    static void stopTheSampleStack() {
        SampleStack.stopAll(DEMO_ROOT);
    }

    @Test
    void theDemoReleaseDeploysAndItsLinkShowsTheRunningSite() throws Exception {
        long release = Api.asAdmin().get("/api/releases?limit=50").then().statusCode(200).extract().jsonPath()
                .getLong("find { it.createdBy == 'conveyor' }.id");
        long job = Jobs.deploy("demo", release);
        JsonPath detail = Jobs.awaitFinished(job, Duration.ofMinutes(2));
        assertThat(detail.getString("job.status")).as(Jobs.rawLog(job)).isEqualTo("succeeded");

        assertThat(Files.readSymbolicLink(DEMO_ROOT.resolve("webview/current")).toString()).isEqualTo("releases/" + release);
        String page = get("http://localhost:18080/");
        assertThat(page).contains("Release " + release).contains("College Physics");
        Api.asAdmin().get("/api/environments/demo").then().statusCode(200)
                .body("summary.currentRelease", org.hamcrest.Matchers.equalTo((int) release));
        Api.asAdmin().get("/api/environments/demo/history").then().statusCode(200)
                .body("[0].release", org.hamcrest.Matchers.equalTo((int) release));
        assertThat(Jobs.rawLog(job)).contains("committed: demo now runs release " + release);
    }

    private static String get(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
