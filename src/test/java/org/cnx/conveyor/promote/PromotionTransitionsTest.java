package org.cnx.conveyor.promote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.cnx.conveyor.common.IllegalTransition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every move of a promotion's lifecycle, without a database: a waiting promotion is decided once, and only once. */
class PromotionTransitionsTest {

    @Test
    void aNewPromotionWaitsUndecided() {
        Promotion promotion = pending();
        assertThat(promotion.state()).isEqualTo(PromotionState.PENDING);
        assertThat(promotion.decidedAt).isNull();
        assertThat(promotion.decidedBy).isNull();
    }

    @Test
    void approvingStampsTheDecisionAndTheDeployJob() {
        Promotion promotion = pending();
        Instant before = Instant.now();
        promotion.approve("lead-bob", 42);
        assertThat(promotion.state()).isEqualTo(PromotionState.APPROVED);
        assertThat(promotion.decidedBy).isEqualTo("lead-bob");
        assertThat(promotion.decidedAt).isBetween(before, Instant.now());
        assertThat(promotion.jobId).isEqualTo(42L);
    }

    @Test
    void rejectingStampsTheDecisionAndTheReason() {
        Promotion promotion = pending();
        Instant before = Instant.now();
        promotion.reject("lead-bob", "not on a Friday");
        assertThat(promotion.state()).isEqualTo(PromotionState.REJECTED);
        assertThat(promotion.decidedBy).isEqualTo("lead-bob");
        assertThat(promotion.decidedAt).isBetween(before, Instant.now());
        assertThat(promotion.rejectionReason).isEqualTo("not on a Friday");
        assertThat(promotion.jobId).isNull();
    }

    @Test
    void cancellingStampsWhoWithdrewIt() {
        Promotion promotion = pending();
        Instant before = Instant.now();
        promotion.cancel("dev-dan");
        assertThat(promotion.state()).isEqualTo(PromotionState.CANCELLED);
        assertThat(promotion.decidedBy).isEqualTo("dev-dan");
        assertThat(promotion.decidedAt).isBetween(before, Instant.now());
    }

    @ParameterizedTest
    @EnumSource(value = PromotionState.class, names = "PENDING", mode = EnumSource.Mode.EXCLUDE)
    void aDecidedPromotionIsNeverDecidedAgainNorTakesApprovals(PromotionState state) {
        List<Consumer<Promotion>> moves = List.of(
                p -> p.approve("lead-eve", 43),
                p -> p.reject("lead-eve", "late"),
                p -> p.cancel("lead-eve"),
                p -> p.requirePending("be approved"));
        for (Consumer<Promotion> move : moves) {
            Promotion promotion = in(state);
            Instant decided = promotion.decidedAt;
            assertThatThrownBy(() -> move.accept(promotion))
                    .isInstanceOf(IllegalTransition.class)
                    .hasMessageContaining("promotion #5 cannot")
                    .hasMessageContaining("it is " + state.id());
            assertThat(promotion.state()).isEqualTo(state);
            assertThat(promotion.decidedBy).isNotEqualTo("lead-eve");
            assertThat(promotion.decidedAt).isEqualTo(decided);
        }
    }

    @Test
    void aWaitingPromotionTakesApprovals() {
        pending().requirePending("be approved");
    }

    @Test
    void statesAreStoredAsTheNamesTheTableHasAlwaysHeldAndShownInLowerCase() {
        PromotionState.Stored column = new PromotionState.Stored();
        for (PromotionState state : PromotionState.values()) {
            assertThat(column.convertToDatabaseColumn(state)).isEqualTo(state.name());
            assertThat(column.convertToEntityAttribute(state.name())).isEqualTo(state);
        }
        assertThat(PromotionState.APPROVED).hasToString("approved");
    }

    private static Promotion pending() {
        Promotion promotion = new Promotion();
        promotion.id = 5L;
        promotion.requestedBy = "dev-dan";
        return promotion;
    }

    private static Promotion in(PromotionState state) {
        Promotion promotion = pending();
        switch (state) {
            case PENDING -> {}
            case APPROVED -> promotion.approve("lead-bob", 42);
            case REJECTED -> promotion.reject("lead-bob", "no");
            case CANCELLED -> promotion.cancel("dev-dan");
        }
        return promotion;
    }
}
