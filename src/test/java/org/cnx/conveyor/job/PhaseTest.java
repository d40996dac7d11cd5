package org.cnx.conveyor.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Phases keep the words the {@code phase} columns, the JSON API and the pages have always used. */
class PhaseTest {

    private final PhaseColumn column = new PhaseColumn();

    @Test
    void storesEachPhaseAsTheWordItWasStoredAsBefore() {
        assertThat(Arrays.stream(Phase.values()).map(column::convertToDatabaseColumn))
                .containsExactly(
                        "plan",
                        "connect",
                        "prepare",
                        "migrate",
                        "switch",
                        "verify",
                        "commit",
                        "post-commit",
                        "deferred",
                        "rollback",
                        "reset",
                        "teardown",
                        "build",
                        "run",
                        "dump",
                        "scrub",
                        "store");
        for (Phase phase : Phase.values()) {
            assertThat(column.convertToEntityAttribute(column.convertToDatabaseColumn(phase)))
                    .isEqualTo(phase);
        }
        assertThat(column.convertToEntityAttribute(null)).isNull();
        assertThat(column.convertToDatabaseColumn(null)).isNull();
    }

    @Test
    void aWordThatIsNoPhaseIsRefused() {
        assertThatThrownBy(() -> Phase.parse("POST_COMMIT")).hasMessage("unknown phase: POST_COMMIT");
    }

    @Test
    void jsonAndPagesShowTheWord() throws Exception {
        assertThat(new ObjectMapper().writeValueAsString(Phase.POST_COMMIT)).isEqualTo("\"post-commit\"");
        assertThat(Phase.POST_COMMIT).hasToString("post-commit");
    }

    @Test
    void theProgressGridShowsTheDeployPhasesInOrder() {
        assertThat(Phase.GRID)
                .extracting(Phase::id)
                .containsExactly(
                        "prepare", "migrate", "switch", "verify", "commit", "post-commit", "deferred", "rollback");
    }
}
