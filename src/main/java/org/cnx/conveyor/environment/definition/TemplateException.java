package org.cnx.conveyor.environment.definition;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a template cannot be rendered: unknown placeholders, missing values, or unsafe values. */
public final class TemplateException extends RuntimeException {

    private final List<Issue> issues;

    /** One rendering problem at a 1-based position in the template text. */
    public record Issue(int line, int column, String message) {

        @Override
        public String toString() {
            return line + ":" + column + ": " + message;
        }
    }

    public TemplateException(List<Issue> issues) {
        super(issues.stream().map(Issue::toString).collect(Collectors.joining("; ")));
        this.issues = List.copyOf(issues);
    }

    public List<Issue> issues() {
        return issues;
    }
}
