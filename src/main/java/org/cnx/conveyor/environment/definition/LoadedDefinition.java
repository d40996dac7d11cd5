package org.cnx.conveyor.environment.definition;

/**
 * A valid definition file as read from disk, with the checksum of its exact bytes.
 *
 * @param file display name, e.g. {@code environments/staging.yml}
 * @param sha256 lower-case hex SHA-256 of the file's bytes
 * @param text the file's text
 * @param definition the parsed definition
 * @param example true for {@code *.example.yml} files, which are validated but never activated
 * @param sharedRunbooks the texts of the files under {@code environments/runbooks/} it took runbooks from, by name
 */
public record LoadedDefinition(
        String file,
        String sha256,
        String text,
        EnvironmentDefinition definition,
        boolean example,
        java.util.Map<String, String> sharedRunbooks) {

    public LoadedDefinition {
        sharedRunbooks = java.util.Map.copyOf(sharedRunbooks);
    }
}
