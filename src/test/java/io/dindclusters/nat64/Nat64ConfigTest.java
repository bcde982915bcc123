package io.dindclusters.nat64;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.network.NetworkSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The DNS64 and NAT64 configuration rendered from a cluster's network, against reviewed golden files. */
class Nat64ConfigTest {

    private static NetworkSpec network(boolean allowAaaaUse) {
        return new NetworkSpec("fd00:d1d:a::/64", "fd00:d1d:b::/64", "fd00:d1d:c::/112", "fd00:77:64:ff9b::/96",
                "192.0.2.53", allowAaaaUse, "10.251.0.0/28", "100.64.3.0/24");
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = Nat64ConfigTest.class.getResourceAsStream("/golden/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
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
        assertThat(NamedConf.render(Nat64Plan.of(network(false)))).isEqualTo(golden("named-synthesize-all.conf"));
    }

    @Test
    void dns64PassesRealAaaaRecordsWhenAllowed() throws IOException {
        String conf = NamedConf.render(Nat64Plan.of(network(true)));
        assertThat(conf).isEqualTo(golden("named-allow-aaaa.conf"));
        assertThat(conf).doesNotContain("exclude");
    }

    @Test
    void taygaTranslatesThePrefixIntoThePool() throws IOException {
        assertThat(TaygaConf.render(Nat64Plan.of(network(false)))).isEqualTo(golden("tayga.conf"));
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
