package org.cnx.conveyor.migrate.engine;

import java.util.Optional;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/** Turns Flyway's per-migration callbacks into {@link MigrationListener} calls, inside each migration's transaction. */
final class FlywayEvents implements Callback {

    private final MigrationListener listener;
    private volatile String current;
    private volatile String failure;

    FlywayEvents(MigrationListener listener) {
        this.listener = listener;
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_EACH_MIGRATE
                || event == Event.AFTER_EACH_MIGRATE
                || event == Event.AFTER_EACH_MIGRATE_ERROR;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        MigrationInfo info = context.getMigrationInfo();
        MigrationListener.Step step = new MigrationListener.Step(
                "apply",
                info.getVersion() == null ? null : info.getVersion().getVersion(),
                info.getDescription(),
                info.getScript());
        try {
            switch (event) {
                case BEFORE_EACH_MIGRATE -> {
                    current = info.getScript();
                    listener.before(step, context.getConnection());
                }
                case AFTER_EACH_MIGRATE -> listener.after(step, context.getConnection());
                default -> {
                    failure = step.label();
                    listener.failed(step, step.label() + " failed");
                }
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(step.label() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String getCallbackName() {
        return "conveyor";
    }

    /** The script that ran last (the failing one, after a failure). */
    String current() {
        return current;
    }

    /** The label of the migration that failed, if one did. */
    Optional<String> failure() {
        return Optional.ofNullable(failure);
    }
}
