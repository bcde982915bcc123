package io.dindclusters.network;

import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules a cluster's network settings must satisfy, checked before anything is stored or created. Pure: no
 * Docker, no Spring. Messages never quote the user's value (the caller reports it beside the message).
 */
public final class NetworkRules {

    private record Bounds(int widest, int narrowest) {
        boolean admits(int prefixLength) {
            return prefixLength >= widest && prefixLength <= narrowest;
        }

        @Override
        public String toString() {
            return "/" + widest + " to /" + narrowest;
        }
    }

    /** A CIDR field; {@code ipv6Only} fields hold one IPv4 CIDR and belong to ipMode ipv6 (the DNS64/NAT64 side). */
    private record CidrField(String name, Bounds ipv4, Bounds ipv6, boolean ipv6Only) {
        Bounds bounds(AddressFamily family) {
            return family == AddressFamily.IPV4 ? ipv4 : ipv6;
        }

        List<AddressFamily> families(IpMode mode) {
            return ipv6Only ? List.of(AddressFamily.IPV4) : mode.families();
        }
    }

    // A node network must hold a gateway and 11 nodes; a pod network one /24 (IPv4) per node for 11 nodes;
    // the API server refuses IPv6 service ranges larger than /108.
    // The IPv4 side of an IPv6-only cluster holds the gateway, DNS64 and NAT64 (a /28 has 14 hosts); a NAT64 pool
    // needs one address per IPv6 client talking to IPv4 at once.
    private static final CidrField SUBNET = new CidrField("network.subnet", new Bounds(8, 28), new Bounds(48, 112), false);
    private static final CidrField POD_SUBNET = new CidrField("network.podSubnet", new Bounds(8, 20), new Bounds(48, 104), false);
    private static final CidrField SERVICE_CIDR = new CidrField("network.serviceCidr", new Bounds(12, 24), new Bounds(108, 120), false);
    private static final CidrField SUPPORT_SUBNET = new CidrField("network.supportSubnet", new Bounds(16, 28), null, true);
    private static final CidrField NAT64_POOL = new CidrField("network.nat64Pool", new Bounds(16, 28), null, true);
    private static final String DNS64_PREFIX = "network.dns64Prefix";

    private NetworkRules() {
    }

    public static List<Violation> check(IpMode ipMode, NetworkSpec network) {
        List<Violation> violations = new ArrayList<>();
        if (network == null) {
            return violations;
        }
        IpMode mode = ipMode == null ? IpMode.ipv4 : ipMode;
        Map<String, List<IPAddress>> parsed = new LinkedHashMap<>();
        Map<CidrField, String> values = new LinkedHashMap<>();
        values.put(SUBNET, network.subnet());
        values.put(POD_SUBNET, network.podSubnet());
        values.put(SERVICE_CIDR, network.serviceCidr());
        values.put(SUPPORT_SUBNET, network.supportSubnet());
        values.put(NAT64_POOL, network.nat64Pool());
        values.forEach((field, value) -> {
            if (value == null) {
                return;
            }
            if (field.ipv6Only() && mode != IpMode.ipv6) {
                violations.add(new Violation(field.name(), IPV6_ONLY));
                return;
            }
            checkCidrList(field, value, mode, violations).ifPresent(cidrs -> parsed.put(field.name(), cidrs));
        });
        checkDns64(mode, network, violations).ifPresent(prefix -> parsed.put(DNS64_PREFIX, List.of(prefix)));
        checkDisjoint(parsed, violations);
        return violations;
    }

    private static final String IPV6_ONLY = "applies only to ipMode ipv6 (DNS64 and NAT64 serve IPv6-only clusters)";

    private static Optional<List<IPAddress>> checkCidrList(CidrField field, String value, IpMode mode,
                                                           List<Violation> violations) {
        String[] parts = value.split(",", -1);
        List<AddressFamily> expected = field.families(mode);
        if (parts.length != expected.size()) {
            violations.add(new Violation(field.name(), expected.size() == 2
                    ? "must be an IPv4 CIDR and an IPv6 CIDR separated by a comma, because ipMode is dual"
                    : field.ipv6Only() ? "must be a single IPv4 CIDR"
                    : "must be a single " + expected.get(0) + " CIDR, because ipMode is " + mode));
            return Optional.empty();
        }
        List<IPAddress> cidrs = new ArrayList<>();
        for (String part : parts) {
            Optional<IPAddress> cidr = IpLiterals.cidr(part);
            if (cidr.isEmpty()) {
                violations.add(new Violation(field.name(),
                        "must be a CIDR: an IPv4 or IPv6 address followed by /prefix-length, such as 10.20.0.0/16 or fd00:20::/64"));
                return Optional.empty();
            }
            IPAddress c = cidr.get();
            AddressFamily family = AddressFamily.of(c);
            if (!expected.contains(family)) {
                violations.add(new Violation(field.name(), field.ipv6Only() ? "must be an IPv4 CIDR"
                        : "is an " + family + " CIDR, but ipMode " + mode + " uses " + describe(expected)));
                return Optional.empty();
            }
            if (!IpLiterals.hasNoHostBits(c)) {
                violations.add(new Violation(field.name(), "has host bits set: the address must be the first of its "
                        + "prefix (" + c.toPrefixBlock().toCompressedString() + ")"));
                return Optional.empty();
            }
            Bounds bounds = field.bounds(family);
            if (!bounds.admits(c.getNetworkPrefixLength())) {
                violations.add(new Violation(field.name(), "must have an " + family + " prefix length from "
                        + bounds + boundsReason(field, family)));
                return Optional.empty();
            }
            cidrs.add(c);
        }
        if (cidrs.size() == 2 && AddressFamily.of(cidrs.get(0)) == AddressFamily.of(cidrs.get(1))) {
            violations.add(new Violation(field.name(), "must name one IPv4 and one IPv6 CIDR, not two of one family"));
            return Optional.empty();
        }
        return Optional.of(cidrs);
    }

    private static String boundsReason(CidrField field, AddressFamily family) {
        if (field == SERVICE_CIDR && family == AddressFamily.IPV6) {
            return " (the Kubernetes API server refuses IPv6 service ranges larger than /108)";
        }
        if (field == POD_SUBNET) {
            return " (room for one pod prefix per node)";
        }
        return "";
    }

    private static void checkDisjoint(Map<String, List<IPAddress>> parsed, List<Violation> violations) {
        List<String> names = List.copyOf(parsed.keySet());
        for (int i = 0; i < names.size(); i++) {
            for (int j = i + 1; j < names.size(); j++) {
                for (IPAddress a : parsed.get(names.get(i))) {
                    for (IPAddress b : parsed.get(names.get(j))) {
                        if (a.overlaps(b)) {
                            violations.add(new Violation(names.get(j), "overlaps " + names.get(i)
                                    + ": node, pod, service, support and NAT64 networks and the DNS64 prefix must be disjoint"));
                        }
                    }
                }
            }
        }
    }

    /** @return the DNS64 prefix when it is valid, so it can be checked against the other networks */
    private static Optional<IPAddress> checkDns64(IpMode mode, NetworkSpec network, List<Violation> violations) {
        if (mode != IpMode.ipv6) {
            String reason = IPV6_ONLY;
            if (network.dns64Prefix() != null) {
                violations.add(new Violation("network.dns64Prefix", reason));
            }
            if (network.remoteDns64V4Server() != null) {
                violations.add(new Violation("network.remoteDns64V4Server", reason));
            }
            if (network.allowAaaaUse() != null) {
                violations.add(new Violation("network.allowAaaaUse", reason));
            }
            return Optional.empty();
        }
        IPAddress prefix = null;
        if (network.dns64Prefix() != null) {
            Optional<IPAddress> parsed = IpLiterals.cidr(network.dns64Prefix()).filter(IPAddress::isIPv6);
            if (parsed.isEmpty()) {
                violations.add(new Violation("network.dns64Prefix", "must be an IPv6 CIDR such as fd00:10:64:ff9b::/96"));
            } else if (!Rfc6052.PREFIX_LENGTHS.contains(parsed.get().getNetworkPrefixLength())) {
                violations.add(new Violation("network.dns64Prefix",
                        "must have a prefix length RFC 6052 allows: /32, /40, /48, /56, /64 or /96"));
            } else if (!IpLiterals.hasNoHostBits(parsed.get())) {
                violations.add(new Violation("network.dns64Prefix", "has bits set beyond its prefix length"));
            } else if (!Rfc6052.hasZeroUOctet(parsed.get())) {
                violations.add(new Violation("network.dns64Prefix",
                        "must have bits 64 to 71 zero (RFC 6052 section 2.2)"));
            } else {
                prefix = parsed.get();
            }
        }
        IPAddress server = null;
        if (network.remoteDns64V4Server() != null) {
            Optional<IPAddress> parsed = IpLiterals.address(network.remoteDns64V4Server()).filter(IPAddress::isIPv4);
            if (parsed.isEmpty()) {
                violations.add(new Violation("network.remoteDns64V4Server",
                        "must be an IPv4 address literal such as 192.0.2.53 (no host name, no prefix length)"));
            } else {
                server = parsed.get();
            }
        }
        if (prefix != null && server != null && Rfc6052.isWellKnownPrefix(prefix) && Rfc6052.isNonGlobalIpv4(server)) {
            violations.add(new Violation("network.dns64Prefix", "must not be the well-known prefix 64:ff9b::/96 when "
                    + "network.remoteDns64V4Server is a private or other non-global address (RFC 6052 section 3.1); "
                    + "use a network-specific prefix such as fd00:10:64:ff9b::/96"));
            return Optional.empty();
        }
        return Optional.ofNullable(prefix);
    }

    private static String describe(List<AddressFamily> families) {
        return families.size() == 1 ? families.get(0) + " only" : "IPv4 and IPv6";
    }
}
