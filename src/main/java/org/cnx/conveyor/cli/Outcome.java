package org.cnx.conveyor.cli;

/** The command line's exit codes: what a script may branch on (see docs/cli.md). */
enum Outcome {
    SUCCEEDED(0),
    ERROR(1),
    USAGE(2),
    FAILED(3),
    ROLLED_BACK(4),
    DEGRADED(5),
    CANCELLED(6);

    final int code;

    Outcome(int code) {
        this.code = code;
    }

    /** The exit code for a finished job's status. */
    static Outcome ofJob(String status) {
        return switch (status) {
            case "succeeded" -> SUCCEEDED;
            case "failed" -> FAILED;
            case "rolled_back" -> ROLLED_BACK;
            case "degraded" -> DEGRADED;
            case "cancelled" -> CANCELLED;
            default -> ERROR;
        };
    }
}
