package org.cnx.conveyor.migrate;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.job.Phase;
import org.cnx.conveyor.job.RunningJob;
import org.cnx.conveyor.migrate.engine.MigrationListener;
import org.cnx.conveyor.migrate.engine.SchemaChanges;

/**
 * Journals each migration of a job before it runs, logs it, and logs the schema change it made; the journal step is
 * marked done by the caller once the migration's transaction committed.
 */
final class JobMigrationListener implements MigrationListener {

    static final String HOST = "database";
    private static final int MAX_DETAIL = 8000;

    private final RunningJob job;
    private final Phase phase;
    private final String component;
    private final SchemaChanges schema;
    private final Map<Long, String> finished = new LinkedHashMap<>();
    private long current = -1;
    private List<String> lastDiff = List.of();

    JobMigrationListener(RunningJob job, Phase phase, String component, boolean schemaDiff) {
        this.job = job;
        this.phase = phase;
        this.component = component;
        this.schema = new SchemaChanges(schemaDiff, warning -> job.log().info(HOST, component, warning));
    }

    @Override
    public void before(Step step, Connection connection) {
        String action = step.version() == null ? "apply-repeatable" : step.action();
        current = job.journal()
                .begin(
                        job.id(),
                        phase,
                        HOST,
                        component,
                        action,
                        step.version() == null ? step.description() : step.version());
        job.log().info(HOST, component, step.label() + " (" + step.script() + ")");
        schema.before(connection);
    }

    @Override
    public void after(Step step, Connection connection) {
        lastDiff = schema.after(connection);
        if (lastDiff.isEmpty()) {
            job.log().info(HOST, component, "schema unchanged by " + step.script());
        } else {
            job.log().info(HOST, component, "schema changes of " + step.script() + ":");
            lastDiff.forEach(line -> job.log().info(HOST, component, "  " + line));
        }
        finished.put(current, detail(step, lastDiff));
        current = -1;
    }

    @Override
    public void output(Step step, String line) {
        job.log().info(HOST, component, line);
    }

    @Override
    public void failed(Step step, String message) {
        if (current >= 0) {
            job.journal().failed(job.id(), current, message);
            current = -1;
        }
        job.log().info(HOST, component, message);
    }

    /** Marks every step whose migration finished as done; call after the migrations' transactions committed. */
    void commitFinished() {
        finished.forEach((stepId, detail) -> job.journal().done(job.id(), stepId, detail));
        finished.clear();
    }

    /** A step that began but neither finished nor failed (its transaction broke) is marked failed. */
    void failUnfinished(String message) {
        if (current >= 0) {
            job.journal().failed(job.id(), current, message);
            current = -1;
        }
    }

    private static String detail(Step step, List<String> diff) {
        List<String> lines = new ArrayList<>();
        lines.add(step.script());
        lines.addAll(diff.isEmpty() ? List.of("(schema unchanged)") : diff);
        String text = String.join("\n", lines);
        return text.length() <= MAX_DETAIL
                ? text
                : text.substring(0, MAX_DETAIL) + "\n… (cut; the job log has every line)";
    }
}
