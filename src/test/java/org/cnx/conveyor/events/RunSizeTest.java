package org.cnx.conveyor.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A subscription's next run is sized from how fast it took the last one: long for a fast subscriber, short for a slow one. */
class RunSizeTest {

    @Test
    void aFastSubscriberGetsLongRunsUpToTheMaximum() {
        // 100 deliveries in 50 ms: 0.5 ms each.
        assertThat(WebhookDispatcher.nextRunSize(100, 50_000_000L)).isEqualTo(500);
    }

    @Test
    void aSlowSubscriberGetsRunsThatLastAboutFiveSecondsAndNeverFewerThanTen() {
        // 100 deliveries in 20 s: 200 ms each, so 25 fit in 5 s.
        assertThat(WebhookDispatcher.nextRunSize(100, 20_000_000_000L)).isEqualTo(25);
        // 10 deliveries in 30 s: 3 s each.
        assertThat(WebhookDispatcher.nextRunSize(10, 30_000_000_000L)).isEqualTo(10);
    }
}
