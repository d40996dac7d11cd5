package org.cnx.conveyor.environment;

/**
 * Fired (synchronously, inside the teardown's commit transaction) when an environment made from a template is removed,
 * so the features that made it (previews, clones, the pool) let go of it in the same transaction.
 */
public record EnvironmentDestroyed(String environment, String kind, long jobId) {}
