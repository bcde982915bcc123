package io.dindclusters.nat64;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.network.NetworkSpec;
import io.dindclusters.support.Golden;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The DNS64 and NAT64 configuration rendered from a cluster's network, against reviewed golden files. */
class Nat64ConfigTest {

    private static NetworkSpec network(boolean allowAaaaUse) {
        return new NetworkSpec("fd00:d1d:a::/64", "fd00:d1d:b::/64", "fd00:d1d:c::/112", "fd00:77:64:ff9b::/96",
                "192.0.2.53", allowAaaaUse, "10.251.0.0/28", "100.64.3.0/24");
    }

    @Test
    void placesDns64AndNat64AtFixedAddressesOfTheNodeSubnet() {
        Nat64Plan plan = Nat64Plan.of(network(false));
        assertThat(plan.dns64Address()).isEqualTo("fd00:d1d:a::100");
        assertThat(plan.nat64Address()).isEqualTo("fd00:d1d:a::200");
        assertThat(plan.taygaAddress()).isEqualTo("100.64.3.1");
        assertThat(plan.clients()).containsExactly("fd00:d1d:a::/64", "fd00:d1d:b::/64");
    }

    @Test
    void fixedAddressesFitTheSmallestNodeSubnet() {
        var smallest = new NetworkSpec("fd00:1:2:3::1:0/112", "fd00:9::/64", "fd00:8::/112", "64:ff9b::/96",
                "192.0.2.53", false, "10.251.0.16/28", "100.64.0.0/28");
        Nat64Plan plan = Nat64Plan.of(smallest);
        assertThat(plan.dns64Address()).isEqualTo("fd00:1:2:3::1:100");
        assertThat(plan.nat64Address()).isEqualTo("fd00:1:2:3::1:200");
    }

    @Test
    void dns64SynthesizesEveryAnswerWhenAaaaUseIsNotAllowed() throws IOException {
        Golden.assertMatches("named-synthesize-all.conf", NamedConf.render(Nat64Plan.of(network(false))));
    }

    @Test
    void dns64PassesRealAaaaRecordsWhenAllowed() throws IOException {
        String conf = NamedConf.render(Nat64Plan.of(network(true)));
        Golden.assertMatches("named-allow-aaaa.conf", conf);
        assertThat(conf).doesNotContain("exclude");
    }

    @Test
    void taygaTranslatesThePrefixIntoThePool() throws IOException {
        Golden.assertMatches("tayga.conf", TaygaConf.render(Nat64Plan.of(network(false))));
    }

    /** Beside the golden: tayga.conf parsed as its "key value" lines. */
    @Test
    void taygaConfigurationNamesThePlansAddresses() {
        Nat64Plan plan = Nat64Plan.of(network(false));
        java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();
        for (String line : TaygaConf.render(plan).split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] pair = line.strip().split("\\s+", 2);
                assertThat(settings.put(pair[0], pair[1])).as("one " + pair[0]).isNull();
            }
        }
        assertThat(settings).containsEntry("prefix", "fd00:77:64:ff9b::/96").containsEntry("dynamic-pool", "100.64.3.0/24")
                .containsEntry("ipv4-addr", plan.taygaAddress()).containsKeys("tun-device", "data-dir");
    }

    /** Beside the goldens: named.conf's DNS64 statement, forwarders and client lists, read from the text. */
    @Test
    void dns64ConfigurationForwardsToTheRemoteServerForTheClusterOnly() {
        Nat64Plan plan = Nat64Plan.of(network(false));
        String conf = NamedConf.render(plan);
        assertThat(conf.chars().filter(c -> c == '{').count()).as("balanced braces")
                .isEqualTo(conf.chars().filter(c -> c == '}').count());
        assertThat(statement(conf, "forwarders")).isEqualTo("192.0.2.53;");
        String clients = String.join("; ", plan.clients()) + ";";
        assertThat(statement(conf, "allow-query")).isEqualTo("localhost; " + clients);
        assertThat(statement(conf, "allow-recursion")).isEqualTo("localhost; " + clients);
        assertThat(conf).containsOnlyOnce("dns64 fd00:77:64:ff9b::/96 {");
    }

    /** The inside of {@code name { ... };} in named.conf, trimmed. */
    private static String statement(String conf, String name) {
        var m = java.util.regex.Pattern.compile("(?m)^\\s*" + java.util.regex.Pattern.quote(name) + " \\{([^}]*)\\};")
                .matcher(conf);
        assertThat(m.find()).as(name + " in named.conf").isTrue();
        String inside = m.group(1).strip();
        assertThat(m.find()).as("one " + name).isFalse();
        return inside;
    }

    @Test
    void theGatewayRoutesPrefixAndPoolIntoTaygaAndMasqueradesThePool() {
        Nat64Plan plan = Nat64Plan.of(network(false));
        assertThat(Nat64Routing.routes(plan)).isEqualTo("link set nat64 up\n"
                + "route replace 100.64.3.0/24 dev nat64\n"
                + "route replace fd00:77:64:ff9b::/96 dev nat64\n");
        assertThat(Nat64Routing.rules(plan)).isEqualTo("*nat\n-A POSTROUTING -s 100.64.3.0/24 -j MASQUERADE\nCOMMIT\n");
    }
}
