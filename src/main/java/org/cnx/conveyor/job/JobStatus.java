package org.cnx.conveyor.job;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Where a job stands; only {@link Job}'s transition methods move a job between statuses. */
public enum JobStatus {
    QUEUED,
    RUNNING,
    /** Every host runs the new release and it is committed. */
    SUCCEEDED,
    /** Failed before anything live changed. */
    FAILED,
    /** Live changes were made, then undone: every host is back on the previous release. */
    ROLLED_BACK,
    CANCELLED,
    /** The rollback could not finish: some host's state is not the previous release. */
    DEGRADED;

    public static final Set<JobStatus> ACTIVE = EnumSet.of(QUEUED, RUNNING);
    public static final Set<JobStatus> FINISHED = EnumSet.complementOf(EnumSet.of(QUEUED, RUNNING));

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean finished() {
        return FINISHED.contains(this);
    }

    public static JobStatus parse(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
