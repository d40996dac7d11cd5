package org.cnx.conveyor.environment.definition;

/** When something runs by itself: at every firing of a five-field cron expression in a time zone. */
public record Schedule(String cron, String zone) {}
