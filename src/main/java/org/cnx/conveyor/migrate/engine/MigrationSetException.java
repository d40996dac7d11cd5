package org.cnx.conveyor.migrate.engine;

import java.util.List;

/** A migrations folder that cannot be used as it is; each problem names the file and what was expected. */
public class MigrationSetException extends Exception {

    private final List<String> problems;

    public MigrationSetException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
