package org.cnx.conveyor.environment.definition;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/** Binds {@code schedule: {cron, zone}} of runbooks and snapshots: a five-field cron expression in a time zone. */
final class ScheduleBinder {

    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private ScheduleBinder() {}

    /** The {@code schedule} key of {@code fields}, if present and valid; problems are reported with their path. */
    static Optional<Schedule> bind(MappingFields fields, Problems problems) {
        return fields.value("schedule")
                .flatMap(node -> MappingFields.of(
                        node,
                        fields.path("schedule"),
                        "a mapping with cron and zone",
                        List.of("cron", "zone"),
                        problems))
                .flatMap(schedule -> {
                    Optional<String> cron = schedule.requiredText("cron", "a five-field cron expression like 0 3 * * *")
                            .filter(text -> {
                                try {
                                    CRON.parse(text);
                                    return true;
                                } catch (IllegalArgumentException e) {
                                    YamlValues.expected(
                                            problems,
                                            schedule.value("cron").orElseThrow(),
                                            schedule.path("cron"),
                                            "a five-field cron expression like 0 3 * * * (" + e.getMessage() + ")");
                                    return false;
                                }
                            });
                    String zone = schedule.text("zone", "a time zone like UTC").orElse("UTC");
                    try {
                        ZoneId.of(zone);
                    } catch (DateTimeException e) {
                        YamlValues.expected(
                                problems,
                                schedule.value("zone").orElseThrow(),
                                schedule.path("zone"),
                                "a time zone like Europe/Berlin or UTC");
                        return Optional.empty();
                    }
                    return cron.map(c -> new Schedule(c, zone));
                });
    }
}
