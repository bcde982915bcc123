package io.dindclusters.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class NodeAddressesTest {

    @Test
    void givesTheControlPlaneHostTwoAndEachWorkerTheNext() {
        assertThat(NodeAddresses.plan("10.250.3.0/24", 3, true)).containsExactly(
                new NodeAddresses.Pair("10.250.3.2", null), new NodeAddresses.Pair("10.250.3.3", null),
                new NodeAddresses.Pair("10.250.3.4", null));
    }

    @Test
    void givesDualStackNodesOneAddressOfEachFamily() {
        assertThat(NodeAddresses.plan("10.250.3.0/24,fd00:d1d:a:3::/64", 2, true)).containsExactly(
                new NodeAddresses.Pair("10.250.3.2", "fd00:d1d:a:3::2"),
                new NodeAddresses.Pair("10.250.3.3", "fd00:d1d:a:3::3"));
    }

    @Test
    void givesIpv6OnlyNodesNoIpv4Address() {
        assertThat(NodeAddresses.plan("fd00:d1d:a::/64", 1, false))
                .containsExactly(new NodeAddresses.Pair(null, "fd00:d1d:a::2"));
    }

    @Test
    void theSmallestSubnetsHoldElevenNodes() {
        List<NodeAddresses.Pair> nodes = NodeAddresses.plan("10.250.3.16/28,fd00:1::/112", 11, true);
        assertThat(nodes.get(10)).isEqualTo(new NodeAddresses.Pair("10.250.3.28", "fd00:1::c"));
        assertThatThrownBy(() -> NodeAddresses.plan("10.250.3.16/28", 14, true)).hasMessageContaining("no room");
    }
}
