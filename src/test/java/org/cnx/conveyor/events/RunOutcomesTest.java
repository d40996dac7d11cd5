package org.cnx.conveyor.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A pipelined run's outcomes come back in any order and are handed over in the run's order, up to a failure. */
class RunOutcomesTest {

    @Test
    void outcomesThatComeBackOutOfOrderAreReturnedInTheRunsOrder() {
        RunOutcomes outcomes = new RunOutcomes(3);
        CompletableFuture.runAsync(() -> {
            outcomes.set(2, answered(202));
            outcomes.set(0, answered(200));
            outcomes.set(1, answered(201));
        });
        assertThat(outcomes.await(30_000, 10_000))
                .extracting(WebhookSender.Outcome::statusCode)
                .containsExactly(200, 201, 202);
    }

    @Test
    void theListEndsAtTheFirstFailureEvenWhenALaterOneFailedFirst() {
        RunOutcomes outcomes = new RunOutcomes(5);
        outcomes.set(4, answered(500));
        outcomes.set(0, answered(200));
        outcomes.set(2, answered(503));
        outcomes.set(1, answered(200));
        // Deliveries 3 and 4 are not waited for: 2 failed, so nothing after it is reported.
        assertThat(outcomes.await(30_000, 10_000))
                .extracting(WebhookSender.Outcome::statusCode)
                .containsExactly(200, 200, 503);
    }

    @Test
    void aDeliveryWithoutAnOutcomeWithinTheLimitIsReportedAsTimedOutAndEndsTheList() {
        RunOutcomes outcomes = new RunOutcomes(3);
        outcomes.set(0, answered(200));
        outcomes.set(2, answered(200));
        List<WebhookSender.Outcome> got = outcomes.await(50, 10_000);
        assertThat(got).hasSize(2);
        assertThat(got.get(0).delivered()).isTrue();
        assertThat(got.get(1).delivered()).isFalse();
        assertThat(got.get(1).error()).isEqualTo("timed out after 10000 ms");
    }

    private static WebhookSender.Outcome answered(int status) {
        return new WebhookSender.Outcome(Instant.now(), status, "", 1, null);
    }
}
