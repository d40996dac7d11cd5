package org.cnx.conveyor.job;

import jakarta.persistence.Converter;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.cnx.conveyor.common.StatusColumn;

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

    /** The word stored in {@code jobs.status} and shown on pages and in the API. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return id();
    }

    public boolean finished() {
        return FINISHED.contains(this);
    }

    public static JobStatus parse(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    /** {@code jobs.status} holds {@link #id()}. */
    @Converter
    public static final class Stored extends StatusColumn<JobStatus> {
        public Stored() {
            super(JobStatus.class, JobStatus::id);
        }
    }
}
