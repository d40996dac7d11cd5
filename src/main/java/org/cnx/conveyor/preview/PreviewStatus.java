package org.cnx.conveyor.preview;

import java.util.Locale;

/** Where a preview stands; {@link Preview} moves it only through its transition methods. */
public enum PreviewStatus {
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

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static PreviewStatus parse(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
