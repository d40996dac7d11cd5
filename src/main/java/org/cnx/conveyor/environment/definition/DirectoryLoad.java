package org.cnx.conveyor.environment.definition;

import java.util.List;

/**
 * Everything read from an {@code environments/} directory: valid definitions, valid templates, and the problems of
 * the files that are not valid (those files appear in neither list).
 */
public record DirectoryLoad(
        List<LoadedDefinition> definitions, List<LoadedDefinition> templates, List<DefinitionProblem> problems) {

    public DirectoryLoad {
        definitions = List.copyOf(definitions);
        templates = List.copyOf(templates);
        problems = List.copyOf(problems);
    }

    /** True when every file in the directory is valid. */
    public boolean isClean() {
        return problems.isEmpty();
    }
}
