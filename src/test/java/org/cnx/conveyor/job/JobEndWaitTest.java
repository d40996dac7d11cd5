package org.cnx.conveyor.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.TestEnvironments;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /api/jobs/{id}?wait=SECONDS}: a client waits for a job's end in one request instead of polling. */
@QuarkusTest
class JobEndWaitTest {

    private static boolean environmentWritten;

    @Inject
    JobJournal journal;

    private long job;

    @BeforeEach
    void aJobRunningElsewhere() {
        if (!environmentWritten) {
            TestEnvironments.writeInstant("end-wait", "dev", 0);
            Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
            environmentWritten = true;
        }
        job = Jobs.runningHeldBy("another-instance", "end-wait", null);
    }

    /** One job runs per environment: each test's job ends with it. */
    @AfterEach
    void endTheJob() {
        QuarkusTransaction.requiringNew().run(() -> {
            Job running = Job.findById(job);
            if (!running.status().finished()) {
                running.fail("test over");
            }
        });
    }

    @Test
    void aClientWaitingForARunningJobIsAnsweredWhenTheJobEnds() throws Exception {
        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> Api.asAdmin()
                .get("/api/jobs/" + job + "?wait=120")
                .then()
                .statusCode(200)
                .extract()
                .path("job.status"));
        // The job runs: nothing can answer the waiting request but its end (or the 120 s).
        assertThat(waiting).isNotDone();
        QuarkusTransaction.requiringNew().run(() -> Job.<Job>findById(job).fail("over"));
        journal.changed(job);

        assertThat(waiting.get(60, TimeUnit.SECONDS)).isEqualTo("failed");
    }

    @Test
    void aJobStillRunningWhenTheWaitIsOverIsAnsweredAsItIs() {
        Api.asAdmin()
                .get("/api/jobs/" + job + "?wait=1")
                .then()
                .statusCode(200)
                .body("job.status", containsString("running"));
    }

    @Test
    void aWaitThatIsNotWholeSecondsFromZeroTo300IsAProblem() {
        for (String wait : new String[] {"abc", "-1", "301", "1.5"}) {
            Api.asAdmin()
                    .get("/api/jobs/" + job + "?wait=" + wait)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", containsString("wait: expected whole seconds from 0 to 300"));
        }
    }
}
