package org.cnx.conveyor.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What is live in an environment and what a rollback there goes back to, as every caller sees it. */
class LiveReleaseTest {

    @Test
    void anEnvironmentNothingWasCommittedToRunsNothingAndCannotRollBack() {
        LiveRelease live = LiveRelease.of(null, Optional.empty());
        assertThat(live.running()).isFalse();
        assertThat(live.canRollBack()).isFalse();
        assertThat(live.rollbackTarget()).isNull();
    }

    @Test
    void afterTheFirstDeployTheReleaseIsLiveButThereIsNothingToRollBackTo() {
        LiveRelease live = LiveRelease.of(4L, Optional.of(row(4, null)));
        assertThat(live.release()).isEqualTo(4L);
        assertThat(live.canRollBack()).isFalse();
    }

    @Test
    void aRollbackGoesBackToTheReleaseTheCommittedOneReplaced() {
        LiveRelease live = LiveRelease.of(7L, Optional.of(row(7, 4L)));
        assertThat(live.release()).isEqualTo(7L);
        assertThat(live.rollbackTarget()).isEqualTo(4L);
    }

    @Test
    void afterARollbackAnotherOneGoesBackToTheReleaseRolledBackFrom() {
        // deploy 4, deploy 7, roll back to 4: the newest row is the rollback, which replaced 7
        LiveRelease live = LiveRelease.of(4L, Optional.of(row(4, 7L)));
        assertThat(live.rollbackTarget()).isEqualTo(7L);
    }

    @Test
    void aRedeployOfTheLiveReleaseRollsBackToItself() {
        LiveRelease live = LiveRelease.of(7L, 7L, 7L);
        assertThat(live.rollbackTarget()).isEqualTo(7L);
    }

    @Test
    void theCommittedReleaseWinsWhenTheNewestHistoryRowDescribesAnotherOne() {
        LiveRelease live = LiveRelease.of(9L, Optional.of(row(7, 4L)));
        assertThat(live.release()).isEqualTo(9L);
        assertThat(live.canRollBack())
                .as("no rollback to a release the history does not say 9 replaced")
                .isFalse();
    }

    @Test
    void historyWithoutACommittedReleaseOffersNoRollback() {
        LiveRelease live = LiveRelease.of(null, Optional.of(row(7, 4L)));
        assertThat(live).isEqualTo(LiveRelease.NONE);
    }

    private static Deployment row(long release, Long previous) {
        Deployment deployment = new Deployment();
        deployment.releaseId = release;
        deployment.previousReleaseId = previous;
        return deployment;
    }
}
