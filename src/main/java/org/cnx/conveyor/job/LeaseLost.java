package org.cnx.conveyor.job;

/**
 * This instance no longer holds a job's lease (another instance took it over and is finishing the job from its
 * journal): whatever this instance was about to write for the job — a journal step, the commit, the job's end — was
 * not written, so it does not act on the job's hosts or database any more.
 */
public final class LeaseLost extends RuntimeException {

    public LeaseLost(long jobId, String owner) {
        super("job " + jobId + " is no longer held by this instance (" + owner
                + "): another instance took its lease and finishes it from the journal");
    }
}
