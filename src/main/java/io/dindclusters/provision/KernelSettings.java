package io.dindclusters.provision;

import io.dindclusters.network.IpMode;
import java.util.Map;
import java.util.TreeMap;

/** The sysctls containers get at creation: /proc/sys is read-only later. */
final class KernelSettings {

    /** IPv6 on, which Docker leaves off in containers. */
    static final Map<String, String> IPV6 = Map.of(
            "net.ipv6.conf.all.disable_ipv6", "0",
            "net.ipv6.conf.default.disable_ipv6", "0");

    private KernelSettings() {
    }

    /** For containers that route (nodes route pod prefixes, NAT64 its pool): forwarding in each family used. */
    static Map<String, String> router(IpMode mode) {
        Map<String, String> sysctls = new TreeMap<>();
        sysctls.put("net.ipv4.ip_forward", "1");
        if (mode != IpMode.ipv4) {
            sysctls.putAll(IPV6);
            sysctls.put("net.ipv6.conf.all.forwarding", "1");
        }
        return sysctls;
    }
}
