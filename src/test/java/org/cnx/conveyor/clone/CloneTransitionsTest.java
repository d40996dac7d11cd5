package org.cnx.conveyor.clone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.cnx.conveyor.common.IllegalTransition;
import org.junit.jupiter.api.Test;

/** Every move of a clone's lifecycle, without a database: active, tearing down, torn down, never back. */
class CloneTransitionsTest {

    @Test
    void aNewCloneIsActive() {
        assertThat(active().status()).isEqualTo(CloneStatus.ACTIVE);
    }

    @Test
    void usingAnActiveCloneStampsItsActivity() {
        Clone clone = active();
        Instant created = clone.lastActiveAt.minusSeconds(60);
        clone.lastActiveAt = created;
        clone.touch();
        assertThat(clone.lastActiveAt).isAfter(created);
        assertThat(clone.status()).isEqualTo(CloneStatus.ACTIVE);
    }

    @Test
    void anActiveCloneStartsTearingDown() {
        Clone clone = active();
        clone.tearingDown();
        assertThat(clone.status()).isEqualTo(CloneStatus.TEARING_DOWN);
        assertThat(clone.tornDownAt).isNull();
    }

    @Test
    void aCloneBeingTornDownIsTornDownWithItsTime() {
        Clone clone = tearingDown();
        Instant before = Instant.now();
        clone.tornDown();
        assertThat(clone.status()).isEqualTo(CloneStatus.TORN_DOWN);
        assertThat(clone.tornDownAt).isBetween(before, Instant.now());
    }

    @Test
    void anActiveCloneWhoseEnvironmentWasDestroyedIsTornDown() {
        Clone clone = active();
        clone.tornDown();
        assertThat(clone.status()).isEqualTo(CloneStatus.TORN_DOWN);
    }

    @Test
    void aCloneBeingTornDownIsNeitherUsedNorTornDownTwice() {
        Clone clone = tearingDown();
        Instant lastActive = clone.lastActiveAt;
        assertThatThrownBy(clone::touch)
                .isInstanceOf(IllegalTransition.class)
                .hasMessage("clone dev-dan cannot be used: it is tearing-down");
        assertThatThrownBy(clone::tearingDown).isInstanceOf(IllegalTransition.class);
        assertThat(clone.lastActiveAt).isEqualTo(lastActive);
        assertThat(clone.status()).isEqualTo(CloneStatus.TEARING_DOWN);
    }

    @Test
    void aTornDownCloneNeverMovesAgain() {
        Clone clone = tearingDown();
        clone.tornDown();
        Instant tornDown = clone.tornDownAt;
        assertThatThrownBy(clone::touch).isInstanceOf(IllegalTransition.class);
        assertThatThrownBy(clone::tearingDown).isInstanceOf(IllegalTransition.class);
        assertThatThrownBy(clone::tornDown).isInstanceOf(IllegalTransition.class);
        assertThat(clone.status()).isEqualTo(CloneStatus.TORN_DOWN);
        assertThat(clone.tornDownAt).isEqualTo(tornDown);
    }

    @Test
    void statusesAreStoredAsTheirHyphenatedWords() {
        CloneStatus.Stored column = new CloneStatus.Stored();
        assertThat(column.convertToDatabaseColumn(CloneStatus.TORN_DOWN)).isEqualTo("torn-down");
        assertThat(column.convertToEntityAttribute("tearing-down")).isEqualTo(CloneStatus.TEARING_DOWN);
        assertThat(CloneStatus.TORN_DOWN).hasToString("torn-down");
    }

    private static Clone active() {
        return Clone.of("dev", "dev-dan");
    }

    private static Clone tearingDown() {
        Clone clone = active();
        clone.tearingDown();
        return clone;
    }
}
