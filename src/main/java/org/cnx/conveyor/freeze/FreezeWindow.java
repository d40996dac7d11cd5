package org.cnx.conveyor.freeze;

import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * When a freeze is in force: a one-off window from–to, or a recurring one that opens at each firing of a five-field
 * cron expression in a time zone and stays open for a duration (e.g. {@code 0 16 * * 5}, 64h: Friday 16:00 to Monday
 * 08:00).
 */
public sealed interface FreezeWindow {

    /** The interval of this window that contains {@code at}, if any. */
    Optional<Interval> activeAt(Instant at);

    /** The next interval starting after {@code at}, if there is one. */
    Optional<Interval> nextAfter(Instant at);

    /** An interval of time, its end exclusive. */
    record Interval(Instant from, Instant to) {
        boolean contains(Instant at) {
            return !at.isBefore(from) && at.isBefore(to);
        }
    }

    static FreezeWindow once(Instant from, Instant to) {
        return new Once(new Interval(from, to));
    }

    /**
     * @throws IllegalArgumentException when the expression is not a five-field cron expression
     */
    static FreezeWindow recurring(String cron, Duration duration, ZoneId zone) {
        return new Recurring(
                ExecutionTime.forCron(
                        new CronParser(CronDefinitionBuilder.instanceDefinitionFor(com.cronutils.model.CronType.UNIX))
                                .parse(cron)),
                duration,
                zone);
    }

    /** A one-off window. */
    record Once(Interval interval) implements FreezeWindow {
        @Override
        public Optional<Interval> activeAt(Instant at) {
            return interval.contains(at) ? Optional.of(interval) : Optional.empty();
        }

        @Override
        public Optional<Interval> nextAfter(Instant at) {
            return interval.from().isAfter(at) ? Optional.of(interval) : Optional.empty();
        }
    }

    /** A window that opens at every firing of a cron expression. */
    record Recurring(ExecutionTime firings, Duration duration, ZoneId zone) implements FreezeWindow {
        @Override
        public Optional<Interval> activeAt(Instant at) {
            // The last firing at or before now; a firing exactly now counts, so step one second past it.
            return firings.lastExecution(ZonedDateTime.ofInstant(at.plusSeconds(1), zone))
                    .map(start ->
                            new Interval(start.toInstant(), start.toInstant().plus(duration)))
                    .filter(interval -> interval.contains(at));
        }

        @Override
        public Optional<Interval> nextAfter(Instant at) {
            return firings.nextExecution(ZonedDateTime.ofInstant(at, zone))
                    .map(start ->
                            new Interval(start.toInstant(), start.toInstant().plus(duration)));
        }
    }
}
