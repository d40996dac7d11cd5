package org.cnx.conveyor.job;

import java.util.Set;

/** Runs the jobs of some types; the job runner finds handlers as CDI beans. */
public interface JobHandler {

    Set<JobType> types();

    /** Runs a freshly claimed job to its end; the handler moves the job to its final status. */
    void run(RunningJob job);

    /** Finishes a job whose previous holder died, from its journal; the handler moves it to its final status. */
    void recover(RunningJob job);
}
