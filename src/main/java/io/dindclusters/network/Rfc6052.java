package io.dindclusters.network;

import inet.ipaddr.IPAddress;
import java.util.List;
import java.util.Set;

/** What RFC 6052 (IPv4-embedded IPv6 addresses, the DNS64/NAT64 prefix) allows. */
public final class Rfc6052 {

    public static final Set<Integer> PREFIX_LENGTHS = Set.of(32, 40, 48, 56, 64, 96);

    public static final IPAddress WELL_KNOWN_PREFIX = IpLiterals.cidr("64:ff9b::/96").orElseThrow();

    /**
     * IPv4 ranges whose IANA special-purpose registry entry says "Global: False" (RFC 6890 and successors). RFC 6052
     * section 3.1 forbids representing them with the well-known prefix.
     */
    private static final List<IPAddress> NON_GLOBAL_IPV4 = List.of(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
            "203.0.113.0/24", "240.0.0.0/4")
            .stream().map(c -> IpLiterals.cidr(c).orElseThrow()).toList();

    private Rfc6052() {
    }

    public static boolean isWellKnownPrefix(IPAddress prefix) {
        return prefix.equals(WELL_KNOWN_PREFIX);
    }

    public static boolean isNonGlobalIpv4(IPAddress address) {
        return address.isIPv4() && NON_GLOBAL_IPV4.stream().anyMatch(range -> range.contains(address));
    }

    /** Section 2.2: bits 64 to 71 (the "u" octet) must be zero in any prefix that covers them. */
    public static boolean hasZeroUOctet(IPAddress prefix) {
        return prefix.getBytes()[8] == 0;
    }
}
