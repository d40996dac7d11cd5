package org.cnx.conveyor.job;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;

/**
 * Where a job is: the phase a job is in ({@code jobs.phase}) and the phase a journal step belongs to
 * ({@code job_steps.phase}), stored as {@link #id()}.
 */
public enum Phase {
    PLAN("plan"),
    CONNECT("connect"),
    PREPARE("prepare"),
    MIGRATE("migrate"),
    SWITCH("switch"),
    VERIFY("verify"),
    COMMIT("commit"),
    POST_COMMIT("post-commit"),
    DEFERRED("deferred"),
    ROLLBACK("rollback"),
    RESET("reset"),
    TEARDOWN("teardown"),
    BUILD("build"),
    /** A runbook's command on each host. */
    RUN("run"),
    /** A snapshot's read-only copy of the source database. */
    DUMP("dump"),
    /** A snapshot's scrub scripts, run on a temporary copy. */
    SCRUB("scrub"),
    /** A snapshot's scrubbed copy written to its file and recorded. */
    STORE("store");

    /** The phases a job page shows as columns of its progress grid, in the order a deploy goes through them. */
    public static final List<Phase> GRID =
            List.of(PREPARE, MIGRATE, SWITCH, VERIFY, COMMIT, POST_COMMIT, DEFERRED, ROLLBACK);

    private final String id;

    Phase(String id) {
        this.id = id;
    }

    /** The word stored in the database, sent in JSON and shown on pages. */
    @JsonValue
    public String id() {
        return id;
    }

    public static Phase parse(String id) {
        return Arrays.stream(values())
                .filter(p -> p.id.equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown phase: " + id));
    }

    /** Pages print a phase by its stored word. */
    @Override
    public String toString() {
        return id;
    }
}
