package org.cnx.conveyor.environment;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.cnx.conveyor.environment.definition.DefinitionProblem;

/** A problem found in a definition file by the latest sync; replaced as a whole at every sync. */
@Entity
@Table(name = "definition_problems")
public class DefinitionProblemRecord extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String file;

    @Column(nullable = false)
    public int line;

    @Column(name = "col", nullable = false)
    public int column;

    @Column(nullable = false)
    public String path;

    @Column(nullable = false)
    public String message;

    @Column(name = "detected_at", nullable = false)
    public Instant detectedAt = Instant.now();

    static DefinitionProblemRecord of(DefinitionProblem problem) {
        DefinitionProblemRecord record = new DefinitionProblemRecord();
        record.file = problem.file();
        record.line = problem.line();
        record.column = problem.column();
        record.path = problem.path();
        record.message = problem.message();
        return record;
    }

    public DefinitionProblem toProblem() {
        return new DefinitionProblem(file, line, column, path, message);
    }
}
