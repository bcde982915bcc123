package io.dindclusters.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PodPrefixesTest {

    @Test
    void givesEachIpv4NodeASlash24InOrder() {
        assertThat(PodPrefixes.carve("10.192.0.0/20", 3)).containsExactly(
                List.of("10.192.0.0/24"), List.of("10.192.1.0/24"), List.of("10.192.2.0/24"));
    }

    @Test
    void givesEachIpv6NodeAPrefixSixteenBitsLonger() {
        assertThat(PodPrefixes.carve("fd00:d1d:b::/64", 2)).containsExactly(
                List.of("fd00:d1d:b::/80"), List.of("fd00:d1d:b:0:1::/80"));
    }

    @Test
    void givesDualStackNodesOnePrefixPerFamilyInTheFieldsOrder() {
        assertThat(PodPrefixes.carve("fd00:d1d:b::/64,10.192.16.0/20", 2)).containsExactly(
                List.of("fd00:d1d:b::/80", "10.192.16.0/24"), List.of("fd00:d1d:b:0:1::/80", "10.192.17.0/24"));
    }

    @Test
    void theLargestClusterFitsTheNarrowestIpv4PodSubnet() {
        List<List<String>> prefixes = PodPrefixes.carve("10.192.0.0/20", 11);
        assertThat(prefixes).hasSize(11).doesNotHaveDuplicates();
        assertThat(prefixes.get(10)).containsExactly("10.192.10.0/24");
    }

    @Test
    void refusesMoreNodesThanFit() {
        assertThatThrownBy(() -> PodPrefixes.carve("10.192.0.0/22", 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
