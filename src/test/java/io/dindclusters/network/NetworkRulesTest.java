package io.dindclusters.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkRulesTest {

    private static NetworkSpec subnet(String subnet) {
        return new NetworkSpec(subnet, null, null, null, null, null, null, null);
    }

    private static NetworkSpec service(String cidr) {
        return new NetworkSpec(null, null, cidr, null, null, null, null, null);
    }

    private static NetworkSpec dns64(String prefix, String server) {
        return new NetworkSpec(null, null, null, prefix, server, null, null, null);
    }

    private static List<String> fields(List<Violation> violations) {
        return violations.stream().map(Violation::field).toList();
    }

    @Test
    void acceptsAnAbsentOrEmptyNetwork() {
        assertThat(NetworkRules.check(IpMode.ipv4, null)).isEmpty();
        assertThat(NetworkRules.check(IpMode.ipv6, NetworkSpec.EMPTY)).isEmpty();
    }

    @Test
    void acceptsAFullIpv6Network() {
        var network = new NetworkSpec("fd00:10::/64", "fd00:10:244::/56", "fd00:10:30::/110",
                "fd00:10:64:ff9b::/96", "192.0.2.53", true, null, null);
        assertThat(NetworkRules.check(IpMode.ipv6, network)).isEmpty();
    }

    @Test
    void acceptsADualStackPairInEitherOrder() {
        var network = new NetworkSpec("10.201.0.0/24,fd00:201::/64", "fd00:244::/56,10.244.0.0/16",
                "10.96.0.0/16,fd00:30::/112", null, null, null, null, null);
        assertThat(NetworkRules.check(IpMode.dual, network)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0", "10.0.0.0/33", "10.0.0/24", "10.0.0.*/24", "10.0.0.0-10/24", "010.0.0.0/24",
            "fe80::%eth0/64", "not-a-cidr", "10.0.0.0/24; rm -rf /", "10.0.0.0/24\n", "", " "})
    void refusesWhatIsNotAPlainCidr(String text) {
        assertThat(fields(NetworkRules.check(IpMode.ipv4, subnet(text)))).containsExactly("network.subnet");
    }

    @Test
    void refusesHostBitsAndNamesTheNetworkAddress() {
        var violations = NetworkRules.check(IpMode.ipv4, subnet("10.20.0.1/16"));
        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("network.subnet");
            assertThat(v.message()).contains("host bits").contains("10.20.0.0/16");
        });
    }

    @ParameterizedTest
    @CsvSource({"ipv4, fd00:10::/64", "ipv6, 10.1.0.0/24"})
    void refusesACidrOfTheOtherFamily(IpMode mode, String cidr) {
        assertThat(NetworkRules.check(mode, subnet(cidr))).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("ipMode " + mode));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.1.0.0/24", "10.1.0.0/24,10.2.0.0/24", "fd00::/64,fd01::/64"})
    void dualStackNeedsOneCidrOfEachFamily(String cidr) {
        assertThat(fields(NetworkRules.check(IpMode.dual, subnet(cidr)))).containsExactly("network.subnet");
    }

    @Test
    void refusesAnIpv6ServiceCidrLargerThanSlash108() {
        assertThat(NetworkRules.check(IpMode.ipv6, service("fd00:30::/107"))).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("/108"));
        assertThat(NetworkRules.check(IpMode.ipv6, service("fd00:30::/108"))).isEmpty();
        assertThat(NetworkRules.check(IpMode.ipv6, service("fd00:30::/112"))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.0/11, false", "10.0.0.0/12, true", "10.96.0.0/24, true", "10.96.0.0/25, false"})
    void boundsTheIpv4ServiceCidr(String cidr, boolean accepted) {
        assertThat(NetworkRules.check(IpMode.ipv4, service(cidr)).isEmpty()).isEqualTo(accepted);
    }

    @Test
    void refusesOverlappingNetworks() {
        var network = new NetworkSpec("10.0.0.0/24", "10.0.0.0/16", "10.96.0.0/16", null, null, null, null, null);
        assertThat(NetworkRules.check(IpMode.ipv4, network)).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("network.podSubnet");
            assertThat(v.message()).contains("overlaps network.subnet");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"fd00:64::/32", "fd00:64::/40", "fd00:64::/48", "fd00:64::/56", "fd00:64::/64",
            "fd00:64::/96"})
    void acceptsEveryRfc6052PrefixLength(String prefix) {
        assertThat(NetworkRules.check(IpMode.ipv6, dns64(prefix, null))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"fd00:64::/80", "fd00:64::/33", "fd00:64::/128", "10.0.0.0/8", "fd00:64::"})
    void refusesOtherDns64Prefixes(String prefix) {
        assertThat(fields(NetworkRules.check(IpMode.ipv6, dns64(prefix, null)))).containsExactly("network.dns64Prefix");
    }

    @Test
    void refusesAPrefixWithTheUOctetSet() {
        assertThat(NetworkRules.check(IpMode.ipv6, dns64("fd00:0:0:0:ff00::/96", null))).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("64 to 71"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.1.2.3", "192.168.1.1", "172.16.0.53", "127.0.0.1", "100.64.0.1", "192.0.2.53"})
    void refusesTheWellKnownPrefixWithANonGlobalDnsServer(String server) {
        assertThat(NetworkRules.check(IpMode.ipv6, dns64("64:ff9b::/96", server))).singleElement()
                .satisfies(v -> {
                    assertThat(v.field()).isEqualTo("network.dns64Prefix");
                    assertThat(v.message()).contains("RFC 6052 section 3.1");
                });
    }

    @Test
    void acceptsTheWellKnownPrefixWithAGlobalDnsServerAndANetworkSpecificPrefixWithAPrivateOne() {
        assertThat(NetworkRules.check(IpMode.ipv6, dns64("64:ff9b::/96", "9.9.9.9"))).isEmpty();
        assertThat(NetworkRules.check(IpMode.ipv6, dns64("fd00:10:64:ff9b::/96", "10.1.2.3"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dns.example.org", "10.0.0.1/32", "fd00::53", "10.0.0.256", "10.0.0.1; reboot"})
    void remoteDnsServerMustBeAnIpv4Literal(String server) {
        assertThat(fields(NetworkRules.check(IpMode.ipv6, dns64(null, server))))
                .containsExactly("network.remoteDns64V4Server");
    }

    @ParameterizedTest
    @CsvSource({"ipv4", "dual"})
    void dns64SettingsBelongToIpv6Mode(IpMode mode) {
        var network = new NetworkSpec(null, null, null, "fd00:64::/96", "192.0.2.53", false, null, null);
        assertThat(fields(NetworkRules.check(mode, network))).containsExactlyInAnyOrder(
                "network.dns64Prefix", "network.remoteDns64V4Server", "network.allowAaaaUse");
    }
}
