package org.cnx.conveyor.app;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduler;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Pauses every scheduled task as soon as Conveyor starts to stop. The scheduler itself stops only when its bean is
 * destroyed, which may come after the database pool has closed: a task started in between would fail on it.
 */
@ApplicationScoped
class SchedulesPausedOnStop {

    void onStop(@Observes @Priority(1) ShutdownEvent event, Scheduler scheduler) {
        scheduler.pause();
    }
}
