package org.cnx.conveyor.environment.definition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;

/** Collects the problems of one file; positions are converted from SnakeYAML's 0-based marks to 1-based. */
final class Problems {

    private final String file;
    private final List<DefinitionProblem> found = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    void add(Node node, String path, String message) {
        add(node.getStartMark(), path, message);
    }

    void add(Mark mark, String path, String message) {
        if (mark == null) {
            add(1, 1, path, message);
        } else {
            add(mark.getLine() + 1, mark.getColumn() + 1, path, message);
        }
    }

    void add(int line, int column, String path, String message) {
        found.add(new DefinitionProblem(file, line, column, path, message));
    }

    int count() {
        return found.size();
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    /** All problems in document order; problems at the same position keep the order they were found in. */
    List<DefinitionProblem> inDocumentOrder() {
        List<DefinitionProblem> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparingInt(DefinitionProblem::line).thenComparingInt(DefinitionProblem::column));
        return List.copyOf(sorted);
    }
}
