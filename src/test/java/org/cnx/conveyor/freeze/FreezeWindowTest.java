package org.cnx.conveyor.freeze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** When freeze windows are in force: weekends by cron in a time zone, one-off windows, and the next one to come. */
class FreezeWindowTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** Friday 16:00 in Berlin for 64 hours: until Monday 08:00. */
    private static final FreezeWindow WEEKEND = FreezeWindow.recurring("0 16 * * 5", Duration.ofHours(64), BERLIN);

    private static Instant berlin(String localDateTime) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(localDateTime), BERLIN)
                .toInstant();
    }

    @Test
    void aWeekendFreezeHoldsFromFridayAfternoonUntilMondayMorningInItsOwnTimeZone() {
        assertThat(WEEKEND.activeAt(berlin("2026-11-27T15:59:59"))).isEmpty();
        assertThat(WEEKEND.activeAt(berlin("2026-11-27T16:00:00")))
                .hasValueSatisfying(i -> assertThat(i.to()).isEqualTo(berlin("2026-11-30T08:00:00")));
        assertThat(WEEKEND.activeAt(berlin("2026-11-29T12:00:00"))).isPresent();
        assertThat(WEEKEND.activeAt(berlin("2026-11-30T08:00:00"))).isEmpty();
        assertThat(WEEKEND.nextAfter(berlin("2026-12-02T10:00:00")))
                .hasValueSatisfying(i -> assertThat(i.from()).isEqualTo(berlin("2026-12-04T16:00:00")));
    }

    @Test
    void aOneOffWindowHoldsFromItsStartUntilJustBeforeItsEnd() {
        Instant from = Instant.parse("2026-12-24T00:00:00Z");
        Instant to = Instant.parse("2026-12-27T00:00:00Z");
        FreezeWindow holidays = FreezeWindow.once(from, to);

        assertThat(holidays.activeAt(from)).isPresent();
        assertThat(holidays.activeAt(to)).isEmpty();
        assertThat(holidays.nextAfter(from.minusSeconds(1))).isPresent();
        assertThat(holidays.nextAfter(from)).isEmpty();
    }

    @Test
    void aCronExpressionThatIsNotFiveFieldsIsRefused() {
        assertThatThrownBy(() -> FreezeWindow.recurring("0 0 16 ? * FRI", Duration.ofHours(1), BERLIN))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
