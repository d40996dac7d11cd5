package org.cnx.conveyor.dora;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The four DORA figures of a set of environments over a period, computed from their finished jobs (docs/metrics.md
 * says what each means): deployment frequency, lead time for changes, change failure rate and time to restore.
 */
final class DoraFigures {

    /** One finished deploy, rollback or retry-rollback job; {@code releaseCreatedAt} stands for the change's time. */
    record JobRecord(
            long id,
            String environment,
            String stage,
            String type,
            String status,
            Instant startedAt,
            Instant finishedAt,
            Long release,
            Instant releaseCreatedAt) {}

    /** Deploys of one day: those that went live and stayed, and those that failed or were rolled back. */
    record Day(LocalDate date, int succeeded, int failed) {}

    /** The figures of one scope ({@code environment} or {@code stage} and its name). */
    record Figures(
            String scope,
            String name,
            Instant from,
            Instant to,
            int deployments,
            int failedChanges,
            double deploymentsPerDay,
            Long leadTimeMedianSeconds,
            Double changeFailureRate,
            Long timeToRestoreMedianSeconds,
            int restores,
            List<Day> daily) {}

    private DoraFigures() {}

    /** The figures of the jobs of {@code jobs} (any environments; each environment's jobs in order of finish). */
    static Figures of(String scope, String name, List<JobRecord> jobs, Instant from, Instant to) {
        Map<String, List<JobRecord>> byEnvironment = new LinkedHashMap<>();
        jobs.stream()
                .sorted(Comparator.comparing(JobRecord::finishedAt).thenComparing(JobRecord::id))
                .forEach(j -> byEnvironment
                        .computeIfAbsent(j.environment(), e -> new ArrayList<>())
                        .add(j));
        int deployments = 0;
        int succeeded = 0;
        int failed = 0;
        List<Long> leadTimes = new ArrayList<>();
        List<Long> restores = new ArrayList<>();
        Map<LocalDate, int[]> days = new TreeMap<>();
        for (LocalDate d = day(from); d.isBefore(day(to)) || d.equals(day(to.minusNanos(1))); d = d.plusDays(1)) {
            days.put(d, new int[2]);
        }
        for (List<JobRecord> history : byEnvironment.values()) {
            Set<Long> liveBefore = new HashSet<>();
            for (int i = 0; i < history.size(); i++) {
                JobRecord job = history.get(i);
                boolean inPeriod =
                        !job.finishedAt().isBefore(from) && job.finishedAt().isBefore(to);
                if (!job.type().equals("deploy")) {
                    continue;
                }
                boolean firstTimeLive = job.status().equals("succeeded") && liveBefore.add(job.release());
                if (!inPeriod) {
                    continue;
                }
                deployments++;
                succeeded += job.status().equals("succeeded") ? 1 : 0;
                JobRecord rollback = rolledBackBy(history, i);
                boolean failedChange = !job.status().equals("succeeded") || rollback != null;
                int[] day = days.computeIfAbsent(day(job.finishedAt()), d -> new int[2]);
                day[failedChange ? 1 : 0]++;
                if (failedChange) {
                    failed++;
                    restoreTime(history, i, rollback).ifPresent(restores::add);
                } else if (firstTimeLive && job.releaseCreatedAt() != null) {
                    leadTimes.add(seconds(job.releaseCreatedAt(), job.finishedAt()));
                }
            }
        }
        double periodDays = Math.max(1, Duration.between(from, to).toSeconds() / 86400.0);
        List<Day> daily = days.entrySet().stream()
                .map(e -> new Day(e.getKey(), e.getValue()[0], e.getValue()[1]))
                .toList();
        return new Figures(
                scope,
                name,
                from,
                to,
                deployments,
                failed,
                round(succeeded / periodDays),
                median(leadTimes),
                deployments == 0 ? null : round((double) failed / deployments),
                median(restores),
                restores.size(),
                daily);
    }

    /** The rollback job that undid the deploy at {@code index}: the next job on the environment, if it is one. */
    private static JobRecord rolledBackBy(List<JobRecord> history, int index) {
        if (!history.get(index).status().equals("succeeded") || index + 1 >= history.size()) {
            return null;
        }
        JobRecord next = history.get(index + 1);
        return next.type().equals("rollback") ? next : null;
    }

    /**
     * How long the environment ran a broken change: a deploy rolled back by its own job, from its start to its end;
     * one rolled back later, from its end to the rollback's success; one that left the environment degraded, from
     * its start to the next job that succeeded there. A deploy that failed before anything live changed broke nothing.
     */
    private static java.util.Optional<Long> restoreTime(List<JobRecord> history, int index, JobRecord rollback) {
        JobRecord job = history.get(index);
        Instant start = job.startedAt() == null ? job.finishedAt() : job.startedAt();
        return switch (job.status()) {
            case "rolled_back" -> java.util.Optional.of(seconds(start, job.finishedAt()));
            case "succeeded" -> nextSuccess(history, index).map(end -> seconds(job.finishedAt(), end));
            case "degraded" -> nextSuccess(history, index).map(end -> seconds(start, end));
            default -> java.util.Optional.empty();
        };
    }

    private static java.util.Optional<Instant> nextSuccess(List<JobRecord> history, int index) {
        return history.subList(index + 1, history.size()).stream()
                .filter(j -> j.status().equals("succeeded"))
                .map(JobRecord::finishedAt)
                .findFirst();
    }

    private static Long median(List<Long> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Long> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static long seconds(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toSeconds());
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }
}
