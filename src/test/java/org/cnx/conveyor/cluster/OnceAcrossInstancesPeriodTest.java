package org.cnx.conveyor.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The period a run-once task is spaced by comes from its schedule's {@code every}: a duration, or none. */
class OnceAcrossInstancesPeriodTest {

    @Test
    void aDurationIsThePeriodAndAScheduleThatNeverFiresOrIsACronSpacesNothing() {
        assertThat(OnceAcrossInstancesInterceptor.period("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(OnceAcrossInstancesInterceptor.period("PT1H")).isEqualTo(Duration.ofHours(1));
        assertThat(OnceAcrossInstancesInterceptor.period("off")).isEqualTo(Duration.ZERO);
        assertThat(OnceAcrossInstancesInterceptor.period("")).isEqualTo(Duration.ZERO);
    }
}
