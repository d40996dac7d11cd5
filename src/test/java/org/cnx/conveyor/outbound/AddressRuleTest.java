package org.cnx.conveyor.outbound;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The addresses Conveyor refuses to contact for a user, checked after name resolution. */
class AddressRuleTest {

    private final AddressRule none = new AddressRule(Optional.empty(), "conveyor.artifacts.allowed-hosts");

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1, a loopback",
        "localhost, a loopback",
        "127.1.2.3, a loopback",
        "2130706433, a loopback",
        "169.254.169.254, a link-local",
        "10.0.0.1, a private",
        "172.16.5.4, a private",
        "192.168.1.1, a private",
        "100.64.0.1, a shared",
        "0.0.0.0, an unspecified",
        "224.0.0.251, a multicast",
        "255.255.255.255, a reserved or broadcast",
        "[::1], a loopback",
        "::, an unspecified",
        "fe80::1, a link-local",
        "fc00::1, a private",
        "fd12:3456::1, a private",
        "ff02::1, a multicast",
        "::ffff:127.0.0.1, a loopback",
        "::127.0.0.1, a loopback",
        "64:ff9b::a9fe:a9fe, a link-local",
    })
    void refusesEveryNonPublicAddressNamingTheRule(String host, String kind) {
        assertThatThrownBy(() -> none.check(host))
                .isInstanceOf(AddressRule.Refused.class)
                .hasMessageContaining("resolves to " + kind)
                .hasMessageContaining("conveyor.artifacts.allowed-hosts");
    }

    @Test
    void letsPublicAddressesThrough() {
        assertThatCode(() -> none.check("93.184.216.34")).doesNotThrowAnyException();
        assertThatCode(() -> none.check("2606:2800:220:1:248:1893:25c8:1946")).doesNotThrowAnyException();
    }

    @Test
    void anAllowedHostIsExemptButOnlyThatHost() {
        AddressRule rule = new AddressRule(Optional.of(List.of("LocalHost", "[::1]")), "k");
        assertThatCode(() -> rule.check("localhost")).doesNotThrowAnyException();
        assertThatCode(() -> rule.check("::1")).doesNotThrowAnyException();
        assertThatThrownBy(() -> rule.check("127.0.0.1")).isInstanceOf(AddressRule.Refused.class);
    }

    @Test
    void aNameThatDoesNotResolveIsRefused() {
        assertThatThrownBy(() -> none.check("no-such-host.invalid"))
                .isInstanceOf(AddressRule.Refused.class)
                .hasMessageContaining("does not resolve");
    }
}
