package org.cnx.conveyor.environment.definition;

/**
 * One problem found in an environment definition file, pointing at the offending line and column.
 *
 * @param file display name of the file, e.g. {@code environments/staging.yml}
 * @param line 1-based line of the offending node
 * @param column 1-based column of the offending node
 * @param path dotted path of the offending key, e.g. {@code hosts[1].port}
 * @param message what was expected and what was found
 */
public record DefinitionProblem(String file, int line, int column, String path, String message) {

    /** Renders the problem as {@code FILE:LINE:COL: PATH: message}, the form shown to users. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + path + ": " + message;
    }
}
