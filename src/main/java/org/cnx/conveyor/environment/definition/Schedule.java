package org.cnx.conveyor.environment.definition;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/** When something runs by itself: at every firing of a five-field cron expression in a time zone. */
public record Schedule(String cron, String zone) {

    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    /** The latest firing at or before {@code now}, when it is no more than {@code grace} old. */
    public Optional<Instant> lastFiring(Instant now, Duration grace) {
        return ExecutionTime.forCron(CRON.parse(cron))
                .lastExecution(ZonedDateTime.ofInstant(now.plusSeconds(1), ZoneId.of(zone)))
                .map(ZonedDateTime::toInstant)
                .filter(firing -> !firing.isBefore(now.minus(grace)) && !firing.isAfter(now));
    }
}
