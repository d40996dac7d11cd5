package org.cnx.conveyor.cluster;

import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code @Scheduled} method that must run once across the instances sharing the database, not once per
 * instance: each firing goes through {@link ClusterTasks#runOnce} with the method's {@code every} as its period.
 */
@InterceptorBinding
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface OnceAcrossInstances {}
