package org.cnx.conveyor.deploy;

import java.util.List;
import java.util.Optional;

/** The database side of one deploy as its run sees it: the migrate phase, taking it back, and what follows a commit. */
interface DeployDatabase {

    /** Runs the migrate phase; returns why it stopped when it did not finish (its own changes are then still in place). */
    Optional<String> run();

    /** True when this job changed the database (so a failure means a rollback, not a plain failure). */
    boolean changedDatabase();

    /** Takes back every change this job made to the database; returns what could not be taken back. */
    List<String> compensate();

    /** Work that follows a commit (queuing deferred migrations). */
    void afterCommit();
}
