package org.cnx.conveyor.job;

import java.util.Objects;
import java.util.Optional;

/**
 * What runs in an environment and what a rollback there goes back to: the one answer every caller uses (API, pages,
 * promotions, clones, previews, deploys).
 *
 * @param release the committed release ({@code environments.current_release_id}); null before the first deploy
 * @param rollbackTarget the release that was live before it; null when there is none
 */
public record LiveRelease(Long release, Long rollbackTarget) {

    /** An environment no deploy has committed to yet. */
    public static final LiveRelease NONE = new LiveRelease(null, null);

    /**
     * The committed release owns the answer; the newest history row only says what it replaced. The commit writes both
     * in one transaction, so they agree; if they ever do not, the history describes some other release and no
     * rollback target is offered rather than a wrong one.
     *
     * @param committed the environment's {@code current_release_id}
     * @param newest the environment's newest {@code deployments} row, if any
     */
    public static LiveRelease of(Long committed, Optional<Deployment> newest) {
        return newest.map(d -> of(committed, d.releaseId, d.previousReleaseId))
                .orElseGet(() -> of(committed, null, null));
    }

    /** The same from the newest history row's release and the release it replaced. */
    public static LiveRelease of(Long committed, Long newestRelease, Long newestPrevious) {
        if (committed == null) {
            return NONE;
        }
        return new LiveRelease(committed, Objects.equals(committed, newestRelease) ? newestPrevious : null);
    }

    public boolean running() {
        return release != null;
    }

    public boolean canRollBack() {
        return rollbackTarget != null;
    }
}
