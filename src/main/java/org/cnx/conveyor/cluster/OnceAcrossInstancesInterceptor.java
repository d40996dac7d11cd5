package org.cnx.conveyor.cluster;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.ConfigProvider;

/** Runs a {@link OnceAcrossInstances} method through {@link ClusterTasks}, outside (before) its transaction. */
@OnceAcrossInstances
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 100)
class OnceAcrossInstancesInterceptor {

    private final ClusterTasks tasks;

    OnceAcrossInstancesInterceptor(ClusterTasks tasks) {
        this.tasks = tasks;
    }

    @AroundInvoke
    Object runOnce(InvocationContext context) throws Exception {
        Method method = context.getMethod();
        String name = method.getDeclaringClass().getSimpleName() + "." + method.getName();
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicReference<Object> result = new AtomicReference<>();
        Scheduled scheduled = method.getAnnotation(Scheduled.class);
        tasks.runOnce(name, period(scheduled == null ? "" : scheduled.every()), () -> {
            try {
                result.set(context.proceed());
            } catch (Exception e) {
                failure.set(e);
            }
        });
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }

    /** The schedule's {@code every}, its {@code ${key}} resolved; zero (no spacing, only no overlap) when none. */
    static Duration period(String schedule) {
        if (schedule.isBlank()) {
            return Duration.ZERO;
        }
        String every = schedule.trim();
        if (every.startsWith("${") && every.endsWith("}")) {
            every = ConfigProvider.getConfig()
                    .getOptionalValue(every.substring(2, every.length() - 1), String.class)
                    .orElse("");
        }
        try {
            return DurationConverter.parseDuration(every);
        } catch (RuntimeException e) {
            return Duration.ZERO; // "off" and the like: the scheduler does not fire at all
        }
    }
}
