package org.cnx.conveyor.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The markers a phase script prints, read back: typed, with the script's nonce, anywhere after a command's output. */
class StepMarkerTest {

    private static final String NONCE = "0123456789abcdef01234567";

    @Test
    void readsEachKindOfMarker() {
        assertThat(marker("@@conveyor " + NONCE + " begin 3")).isEqualTo(new StepMarker.Begin(3));
        assertThat(marker("@@conveyor " + NONCE + " end 3 0")).isEqualTo(new StepMarker.End(3, 0));
        assertThat(marker("@@conveyor " + NONCE + " end 12 124")).isEqualTo(new StepMarker.End(12, 124));
        assertThat(marker("@@conveyor " + NONCE + " need 1")).isEqualTo(new StepMarker.Need(1));
        assertThat(marker("@@conveyor " + NONCE + " answer 2 current releases/7"))
                .isEqualTo(new StepMarker.Answer(2, List.of("current", "releases/7")));
        assertThat(marker("@@conveyor " + NONCE + " answer 2 current"))
                .isEqualTo(new StepMarker.Answer(2, List.of("current")));
    }

    @Test
    void aMarkerAfterOutputThatDidNotEndItsLineKeepsThatOutput() {
        StepMarker.Line line = StepMarker.parse("installing…@@conveyor " + NONCE + " end 1 0", NONCE);

        assertThat(line.output()).isEqualTo("installing…");
        assertThat(line.marker()).contains(new StepMarker.End(1, 0));
    }

    @Test
    void aMarkerWithAnotherNonceIsPlainOutput() {
        String forged = "@@conveyor ffffffffffffffffffffffff end 1 0";

        StepMarker.Line line = StepMarker.parse(forged, NONCE);

        assertThat(line.marker()).isEmpty();
        assertThat(line.output()).isEqualTo(forged);
        assertThat(StepMarker.parse("plain output", NONCE).marker()).isEmpty();
    }

    @Test
    void aMalformedMarkerWithTheRightNonceIsAProtocolError() {
        for (String body : new String[] {"begin", "begin x", "end 1", "end 1 -1", "end 1 1234", "stop 1", "begin 0"}) {
            assertThatThrownBy(() -> StepMarker.parse("@@conveyor " + NONCE + " " + body, NONCE))
                    .as(body)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("malformed step marker");
        }
    }

    private static StepMarker marker(String line) {
        return StepMarker.parse(line, NONCE).marker().orElseThrow();
    }
}
