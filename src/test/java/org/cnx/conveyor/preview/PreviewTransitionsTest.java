package org.cnx.conveyor.preview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.cnx.conveyor.common.IllegalTransition;
import org.junit.jupiter.api.Test;

/** Every move of a preview's lifecycle, without a database: each from every status, legal ones stamped, others refused. */
class PreviewTransitionsTest {

    private static final Duration TTL = Duration.ofHours(4);

    /** Each transition with the statuses it may start from. */
    private static final Set<PreviewStatus> SETTLED_OR_MOVING =
            EnumSet.of(PreviewStatus.BUILDING, PreviewStatus.DEPLOYING, PreviewStatus.READY, PreviewStatus.FAILED);

    private static final Map<String, Set<PreviewStatus>> ALLOWED = Map.of(
            "building", SETTLED_OR_MOVING,
            "deploying", SETTLED_OR_MOVING,
            "ready", EnumSet.of(PreviewStatus.DEPLOYING),
            "fail", SETTLED_OR_MOVING,
            "tearingDown", SETTLED_OR_MOVING,
            "tornDown", EnumSet.complementOf(EnumSet.of(PreviewStatus.TORN_DOWN)));

    private static final Map<String, Consumer<Preview>> MOVES = Map.of(
            "building", p -> p.building(78),
            "deploying", p -> p.deploying(12, 34, TTL),
            "ready", p -> p.ready(TTL),
            "fail", p -> p.fail("build failed"),
            "tearingDown", p -> p.tearingDown(56),
            "tornDown", Preview::tornDown);

    @Test
    void aNewPreviewIsBuildingItsHeadCommit() {
        Preview preview = opened();
        assertThat(preview.status()).isEqualTo(PreviewStatus.BUILDING);
        assertThat(preview.open()).isTrue();
    }

    @Test
    void queuingADeployRecordsTheJobClearsTheErrorAndRestartsTheTimeToLive() {
        Preview preview = in(PreviewStatus.FAILED);
        Instant before = Instant.now();
        preview.deploying(12, 34, TTL);
        assertThat(preview.status()).isEqualTo(PreviewStatus.DEPLOYING);
        assertThat(preview.releaseId).isEqualTo(12L);
        assertThat(preview.jobId).isEqualTo(34L);
        assertThat(preview.error).isNull();
        assertThat(preview.updatedAt).isBetween(before, Instant.now());
        assertThat(preview.expiresAt).isEqualTo(preview.updatedAt.plus(TTL));
    }

    @Test
    void aSucceededDeployMakesItReadyAndRestartsTheTimeToLive() {
        Preview preview = in(PreviewStatus.DEPLOYING);
        Instant before = Instant.now();
        preview.ready(TTL);
        assertThat(preview.status()).isEqualTo(PreviewStatus.READY);
        assertThat(preview.updatedAt).isBetween(before, Instant.now());
        assertThat(preview.expiresAt).isEqualTo(preview.updatedAt.plus(TTL));
    }

    @Test
    void aFailureRecordsWhyWithoutTouchingTheTimeToLive() {
        Preview preview = in(PreviewStatus.READY);
        Instant expires = preview.expiresAt;
        preview.fail("health check failed");
        assertThat(preview.status()).isEqualTo(PreviewStatus.FAILED);
        assertThat(preview.error).isEqualTo("health check failed");
        assertThat(preview.expiresAt).isEqualTo(expires);
    }

    @Test
    void aTeardownRecordsItsJob() {
        Preview preview = in(PreviewStatus.READY);
        preview.tearingDown(56);
        assertThat(preview.status()).isEqualTo(PreviewStatus.TEARING_DOWN);
        assertThat(preview.jobId).isEqualTo(56L);
        assertThat(preview.open()).isTrue();
    }

    @Test
    void aTornDownPreviewStampsItsEndAndIsNoLongerOpen() {
        Preview preview = in(PreviewStatus.TEARING_DOWN);
        Instant before = Instant.now();
        preview.tornDown();
        assertThat(preview.status()).isEqualTo(PreviewStatus.TORN_DOWN);
        assertThat(preview.tornDownAt).isBetween(before, Instant.now());
        assertThat(preview.updatedAt).isEqualTo(preview.tornDownAt);
        assertThat(preview.open()).isFalse();
    }

    @Test
    void everyTransitionMovesFromTheStatusesItAllowsAndIsRefusedFromTheOthers() {
        for (String transition : MOVES.keySet()) {
            for (PreviewStatus from : PreviewStatus.values()) {
                Preview preview = in(from);
                if (ALLOWED.get(transition).contains(from)) {
                    MOVES.get(transition).accept(preview);
                    assertThat(preview.status())
                            .as(transition + " from " + from)
                            .isNotNull();
                } else {
                    Long job = preview.jobId;
                    assertThatThrownBy(() -> MOVES.get(transition).accept(preview))
                            .as(transition + " from " + from)
                            .isInstanceOf(IllegalTransition.class)
                            .hasMessageContaining("preview of pull request 17 cannot")
                            .hasMessageEndingWith("it is " + from.id());
                    assertThat(preview.status()).isEqualTo(from);
                    assertThat(preview.jobId).isEqualTo(job);
                }
            }
        }
    }

    @Test
    void statusesAreStoredAsTheirHyphenatedWords() {
        PreviewStatus.Stored column = new PreviewStatus.Stored();
        for (PreviewStatus status : PreviewStatus.values()) {
            assertThat(column.convertToEntityAttribute(column.convertToDatabaseColumn(status)))
                    .isEqualTo(status);
        }
        assertThat(column.convertToDatabaseColumn(PreviewStatus.TEARING_DOWN)).isEqualTo("tearing-down");
        assertThat(PreviewStatus.TORN_DOWN).hasToString("torn-down");
    }

    private static Preview opened() {
        PullRequest pr = new PullRequest(
                "opened",
                17,
                "Fix the footer",
                "dev-dan",
                "fix-footer",
                "a".repeat(40),
                "openstax/cnx",
                List.of("preview"));
        return Preview.open(pr, "pr-17", "http://pr-17.example");
    }

    /** A preview brought to {@code status} through its transitions. */
    private static Preview in(PreviewStatus status) {
        Preview preview = opened();
        preview.building(32);
        if (status == PreviewStatus.BUILDING) {
            return preview;
        }
        preview.deploying(11, 33, TTL);
        switch (status) {
            case BUILDING, DEPLOYING -> {}
            case READY -> preview.ready(TTL);
            case FAILED -> preview.fail("build failed");
            case TEARING_DOWN -> preview.tearingDown(55);
            case TORN_DOWN -> {
                preview.tearingDown(55);
                preview.tornDown();
            }
        }
        return preview;
    }
}
