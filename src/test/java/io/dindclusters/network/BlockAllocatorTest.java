package io.dindclusters.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import inet.ipaddr.IPAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlockAllocatorTest {

    private static IPAddress cidr(String text) {
        return IpLiterals.cidr(text).orElseThrow();
    }

    @Test
    void givesTheFirstBlockOfAnEmptyPool() {
        assertThat(BlockAllocator.firstFree(new AddressPool(cidr("10.250.0.0/16"), 24), List.of()))
                .map(IPAddress::toCompressedString).hasValue("10.250.0.0/24");
    }

    @Test
    void skipsEveryBlockThatOverlapsSomethingTakenWhateverItsSize() {
        var taken = List.of(cidr("10.250.0.0/24"), cidr("10.250.1.128/25"), cidr("10.250.2.0/23"));

        assertThat(BlockAllocator.firstFree(new AddressPool(cidr("10.250.0.0/16"), 24), taken))
                .map(IPAddress::toCompressedString).hasValue("10.250.4.0/24");
    }

    @Test
    void aTakenRangeCoveringThePoolLeavesNothing() {
        assertThat(BlockAllocator.firstFree(new AddressPool(cidr("10.250.0.0/16"), 24), List.of(cidr("10.0.0.0/8")))).isEmpty();
    }

    @Test
    void worksForIpv6() {
        var taken = List.of(cidr("fd00:d1d:a::/64"));

        assertThat(BlockAllocator.firstFree(new AddressPool(cidr("fd00:d1d:a::/48"), 64), taken))
                .map(IPAddress::toCompressedString).hasValue("fd00:d1d:a:1::/64");
    }

    @Test
    void refusesBlocksLargerThanThePool() {
        assertThatThrownBy(() -> new AddressPool(cidr("10.250.0.0/16"), 12))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddressPool.parse("10.250.0.0/16/12")).isInstanceOf(IllegalArgumentException.class);
        assertThat(AddressPool.parse("10.250.0.0/16/24").blockLength()).isEqualTo(24);
    }
}
