package org.cnx.conveyor.web;

import java.util.List;

/** A failure the user can understand and fix; mapped to a problem detail with its status. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final List<String> errors;

    public ProblemException(int status, String title, String detail) {
        this(status, title, detail, null);
    }

    public ProblemException(int status, String title, String detail, List<String> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = errors;
    }

    /** 400: the request itself is wrong (a field, a format). */
    public static ProblemException invalid(String detail) {
        return new ProblemException(400, "Invalid request", detail);
    }

    /** 403: the caller may not do this here; the detail says what is missing. */
    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "Forbidden", detail);
    }

    /** 404: the named thing does not exist. */
    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not found", detail);
    }

    /** 409: the request conflicts with the current state. */
    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail);
    }

    public Problem problem() {
        return new Problem("about:blank", title, status, getMessage(), errors);
    }
}
