package org.cnx.conveyor.common;

import java.util.List;

/**
 * A request a service refuses, by kind and with a message a user can act on; services throw these and know nothing
 * of HTTP, and {@code web.ProblemMappers} turns each kind into its problem detail (400, 403, 404, 409, 413).
 */
public abstract sealed class DomainException extends RuntimeException {

    private final String title;
    private final List<String> errors;

    DomainException(String title, String detail, List<String> errors) {
        super(detail);
        this.title = title;
        this.errors = errors == null ? null : List.copyOf(errors);
    }

    /** A short name of the kind of refusal ("Not found"), shown as the problem's title. */
    public String title() {
        return title;
    }

    /** Every problem found, when there were several (each field of a form, say); null otherwise. */
    public List<String> errors() {
        return errors;
    }

    /** The request itself is wrong: a field, a format. */
    public static final class Invalid extends DomainException {
        public Invalid(String detail) {
            this("Invalid request", detail, null);
        }

        public Invalid(String title, String detail, List<String> errors) {
            super(title, detail, errors);
        }
    }

    /** The caller may not do this here; the message says what is missing. */
    public static final class Forbidden extends DomainException {
        public Forbidden(String detail) {
            super("Forbidden", detail, null);
        }
    }

    /** The named thing does not exist. */
    public static final class NotFound extends DomainException {
        public NotFound(String detail) {
            super("Not found", detail, null);
        }
    }

    /** The request conflicts with the current state (a job already running, an illegal status transition). */
    public static non-sealed class Conflict extends DomainException {
        public Conflict(String detail) {
            super("Conflict", detail, null);
        }
    }

    /** What was sent is larger than allowed. */
    public static final class TooLarge extends DomainException {
        public TooLarge(String detail) {
            super("Payload too large", detail, null);
        }
    }
}
