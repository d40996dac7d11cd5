package org.cnx.conveyor.preview;

import jakarta.persistence.Converter;
import java.util.Locale;
import org.cnx.conveyor.common.StatusColumn;

/** Where a preview stands; {@link Preview} moves it only through its transition methods. */
public enum PreviewStatus {
    /** The head commit is being built into a release (a build job). */
    BUILDING,
    /** A release of the head commit is being deployed. */
    DEPLOYING,
    /** The head commit runs and answers its health checks; the demo link works. */
    READY,
    /** The build or the deploy of the head commit failed; the previous release (if any) still runs. */
    FAILED,
    /** The pull request was closed or the preview expired; its teardown job runs. */
    TEARING_DOWN,
    /** Gone: services stopped, folders and database removed, ports back in the pool. */
    TORN_DOWN;

    /** The word stored in {@code previews.status} and shown on pages and in the API. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String toString() {
        return id();
    }

    /** {@code previews.status} holds {@link #id()}. */
    @Converter
    public static final class Stored extends StatusColumn<PreviewStatus> {
        public Stored() {
            super(PreviewStatus.class, PreviewStatus::id);
        }
    }
}
