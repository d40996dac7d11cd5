package org.cnx.conveyor.deploy;

import java.util.Locale;
import org.cnx.conveyor.job.JobStep;

/**
 * What a switch step's journal entry says of its host's {@code current}: moved (the host reported it), surely not
 * moved (the step failed before, or never ran), or unknown (Conveyor or the connection died while it ran). The word
 * leads the step's detail, so a rollback restores exactly the moved and the unknown, and says which is which.
 */
enum SwitchState {
    SWITCHED,
    NOT_SWITCHED,
    UNKNOWN;

    String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** The start of a failed step's detail: the state, then the reason. */
    String prefix() {
        return word() + "; ";
    }

    /** Reads a switch step of the journal. */
    static SwitchState of(JobStep step) {
        String detail = step.detail == null ? "" : step.detail;
        if (step.state() == JobStep.State.SKIPPED || detail.startsWith(NOT_SWITCHED.word())) {
            return NOT_SWITCHED;
        }
        if (step.state() == JobStep.State.DONE || detail.startsWith(SWITCHED.word())) {
            return SWITCHED;
        }
        return UNKNOWN;
    }

    /** Whether a rollback has to put this step's component back. */
    boolean mayHaveMoved() {
        return this != NOT_SWITCHED;
    }
}
