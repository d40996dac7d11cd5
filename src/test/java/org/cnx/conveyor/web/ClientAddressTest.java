package org.cnx.conveyor.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Addresses in the audit log read as people write them; times read as "5 minutes ago". */
class ClientAddressTest {

    @Test
    void theLongFormOfAnIpv6AddressBecomesItsCanonicalForm() {
        assertThat(ClientAddress.canonical("0:0:0:0:0:0:0:1")).isEqualTo("::1");
        assertThat(ClientAddress.canonical("2001:db8:0:0:0:0:2:1")).isEqualTo("2001:db8::2:1");
        assertThat(ClientAddress.canonical("2001:0db8:0:1:0:0:0:1")).isEqualTo("2001:db8:0:1::1");
        assertThat(ClientAddress.canonical("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(ClientAddress.canonical("fe80:0:0:0:0:0:0:0")).isEqualTo("fe80::");
        assertThat(ClientAddress.canonical("2001:db8:1:2:3:4:0:5")).isEqualTo("2001:db8:1:2:3:4:0:5");
    }

    @Test
    void ipv4AndAlreadyShortAddressesAreLeftAsTheyAre() {
        assertThat(ClientAddress.canonical("192.0.2.7")).isEqualTo("192.0.2.7");
        assertThat(ClientAddress.canonical("::1")).isEqualTo("::1");
        assertThat(ClientAddress.canonical(null)).isNull();
    }

    @Test
    void loopbackAddressesAreShownAsLocalhost() {
        assertThat(ClientAddress.shown("0:0:0:0:0:0:0:1")).isEqualTo("localhost");
        assertThat(ClientAddress.shown("127.0.0.1")).isEqualTo("localhost");
        assertThat(ClientAddress.shown("198.51.100.4")).isEqualTo("198.51.100.4");
    }

    @Test
    void relativeTimesRoundToTheUnitAPersonWouldSay() {
        Instant now = Instant.parse("2026-11-29T12:00:00Z");
        assertThat(Formats.ago(now.minusSeconds(10), now)).isEqualTo("just now");
        assertThat(Formats.ago(now.minusSeconds(60), now)).isEqualTo("1 minute ago");
        assertThat(Formats.ago(now.minusSeconds(5 * 60), now)).isEqualTo("5 minutes ago");
        assertThat(Formats.ago(now.minusSeconds(3 * 3600), now)).isEqualTo("3 hours ago");
        assertThat(Formats.ago(now.minusSeconds(2 * 86_400), now)).isEqualTo("2 days ago");
        assertThat(Formats.ago(now.plusSeconds(3600), now)).isEqualTo("in 1 hour");
        assertThat(Formats.duration(now.minusSeconds(185), now)).isEqualTo("3 min 5 s");
    }
}
