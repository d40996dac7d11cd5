package org.cnx.conveyor.dora;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.cnx.conveyor.dora.DoraFigures.Day;
import org.cnx.conveyor.dora.DoraFigures.Figures;
import org.cnx.conveyor.dora.DoraFigures.JobRecord;
import org.junit.jupiter.api.Test;

/** The four DORA figures of a seeded production history whose answers were worked out by hand. */
class DoraFiguresTest {

    static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant TO = Instant.parse("2026-01-11T00:00:00Z");

    /** Ten days of production: seven deploys, a rollback, a retry-rollback. */
    static final List<JobRecord> HISTORY = List.of(
            // release 1 made 3 h before it went live: lead time 3 h
            job(1, "deploy", "succeeded", "2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z", 1, "2025-12-31T22:00:00Z"),
            // release 2 went live, then was rolled back: a failed change, restored 40 min after it went live
            job(2, "deploy", "succeeded", "2026-01-02T10:00:00Z", "2026-01-02T10:30:00Z", 2, "2026-01-02T00:00:00Z"),
            job(3, "rollback", "succeeded", "2026-01-02T11:00:00Z", "2026-01-02T11:10:00Z", 1, "2025-12-31T22:00:00Z"),
            // release 3 rolled back by its own deploy: failed, restored in the 20 min the deploy took
            job(4, "deploy", "rolled_back", "2026-01-05T00:00:00Z", "2026-01-05T00:20:00Z", 3, "2026-01-03T00:00:00Z"),
            // release 4 failed before anything live changed (a failed change, no outage), then went live: 26 h
            job(5, "deploy", "failed", "2026-01-06T06:00:00Z", "2026-01-06T06:00:30Z", 4, "2026-01-06T00:00:00Z"),
            job(6, "deploy", "succeeded", "2026-01-07T00:00:00Z", "2026-01-07T02:00:00Z", 4, "2026-01-06T00:00:00Z"),
            // release 1 deployed again: a deploy, but not a new change (no lead time)
            job(7, "deploy", "succeeded", "2026-01-08T00:00:00Z", "2026-01-08T01:00:00Z", 1, "2025-12-31T22:00:00Z"),
            // release 5 left production degraded until the retry-rollback succeeded: restored after 1 h
            job(8, "deploy", "degraded", "2026-01-09T00:00:00Z", "2026-01-09T00:10:00Z", 5, "2026-01-08T12:00:00Z"),
            job(
                    9,
                    "retry-rollback",
                    "succeeded",
                    "2026-01-09T00:50:00Z",
                    "2026-01-09T01:00:00Z",
                    1,
                    "2025-12-31T22:00:00Z"));

    @Test
    void theFourFiguresOfASeededHistoryAreTheKnownAnswers() {
        Figures figures = DoraFigures.of("environment", "prod", HISTORY, FROM, TO);

        assertThat(figures.deployments()).isEqualTo(7);
        assertThat(figures.deploymentsPerDay())
                .as("4 deploys that succeeded over 10 days")
                .isEqualTo(0.4);
        assertThat(figures.leadTimeMedianSeconds()).as("median of 3 h and 26 h").isEqualTo(52_200);
        assertThat(figures.failedChanges()).isEqualTo(4);
        assertThat(figures.changeFailureRate()).as("4 of 7").isEqualTo(0.571);
        assertThat(figures.restores()).isEqualTo(3);
        assertThat(figures.timeToRestoreMedianSeconds())
                .as("median of 40, 20 and 60 min")
                .isEqualTo(2_400);
    }

    @Test
    void eachDayOfThePeriodCountsTheDeploysThatStayedAndThoseThatFailed() {
        List<Day> daily =
                DoraFigures.of("environment", "prod", HISTORY, FROM, TO).daily();

        assertThat(daily).hasSize(10);
        assertThat(daily.get(0)).isEqualTo(new Day(LocalDate.parse("2026-01-01"), 1, 0));
        assertThat(daily.get(1)).isEqualTo(new Day(LocalDate.parse("2026-01-02"), 0, 1));
        assertThat(daily.get(3)).isEqualTo(new Day(LocalDate.parse("2026-01-04"), 0, 0));
        assertThat(daily.stream().mapToInt(Day::succeeded).sum()).isEqualTo(3);
        assertThat(daily.stream().mapToInt(Day::failed).sum()).isEqualTo(4);
    }

    @Test
    void jobsBeforeThePeriodCountOnlyAsWhatWasAlreadyLive() {
        Figures figures = DoraFigures.of("environment", "prod", HISTORY, Instant.parse("2026-01-07T00:00:00Z"), TO);

        // Deploys 6, 7 and 8 finish in the period; release 1 was live before it, release 4 goes live in it.
        assertThat(figures.deployments()).isEqualTo(3);
        assertThat(figures.leadTimeMedianSeconds()).isEqualTo(93_600);
        assertThat(figures.changeFailureRate()).isEqualTo(0.333);
    }

    @Test
    void aPeriodWithoutDeploysHasNoRatesRatherThanZeroes() {
        Figures figures = DoraFigures.of("environment", "prod", List.of(), FROM, TO);

        assertThat(figures.deployments()).isZero();
        assertThat(figures.changeFailureRate()).isNull();
        assertThat(figures.leadTimeMedianSeconds()).isNull();
        assertThat(figures.timeToRestoreMedianSeconds()).isNull();
    }

    @Test
    void theChartIsAnSvgWithABarPerDeployDayAndADescription() {
        String svg = DoraChart.svg(
                "stage production",
                DoraFigures.of("stage", "production", HISTORY, FROM, TO).daily());

        assertThat(svg).startsWith("<svg").endsWith("</svg>");
        assertThat(svg).contains("aria-label=\"stage production: 7 deploys over 10 days, 4 failed or rolled back\"");
        assertThat(svg.split("<rect", -1)).hasSize(1 + 7);
    }

    static JobRecord job(
            long id, String type, String status, String started, String finished, long release, String released) {
        return new JobRecord(
                id,
                "prod",
                "production",
                type,
                status,
                Instant.parse(started),
                Instant.parse(finished),
                release,
                Instant.parse(released));
    }
}
