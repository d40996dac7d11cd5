package org.cnx.conveyor.environment.definition;

import java.util.List;
import java.util.Optional;

/**
 * Outcome of parsing one definition file: the definition when the file is valid, and every problem found.
 *
 * @param definition present only when {@code problems} is empty
 * @param problems all problems, in document order
 */
public record ParseResult(Optional<EnvironmentDefinition> definition, List<DefinitionProblem> problems) {

    public ParseResult {
        problems = List.copyOf(problems);
    }

    /** True when the file produced a definition without any problem. */
    public boolean isValid() {
        return problems.isEmpty() && definition.isPresent();
    }
}
