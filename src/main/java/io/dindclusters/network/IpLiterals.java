package io.dindclusters.network;

import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Strict parsing of the address and CIDR literals users write: plain dotted-quad and RFC 4291 text only, no
 * wildcards, ranges, masks, zones, inet_aton shorthands or leading zeros that ipaddress would otherwise accept.
 */
public final class IpLiterals {

    private static final IPAddressStringParameters STRICT;

    static {
        var builder = new IPAddressStringParameters.Builder()
                .allowEmpty(false)
                .allowAll(false)
                .allowSingleSegment(false)
                .allowMask(false)
                .allowPrefixOnly(false)
                .allowWildcardedSeparator(false)
                .setRangeOptions(RangeParameters.NO_RANGE)
                .allow_inet_aton(false);
        builder.getIPv4AddressParametersBuilder().allowLeadingZeros(false).allowPrefixesBeyondAddressSize(false);
        builder.getIPv6AddressParametersBuilder().allowZone(false).allowLeadingZeros(true)
                .allowPrefixesBeyondAddressSize(false);
        STRICT = builder.toParams();
    }

    private IpLiterals() {
    }

    /** A CIDR such as {@code 10.20.0.0/16}: prefix length required. */
    public static Optional<IPAddress> cidr(String text) {
        return parse(text).filter(IPAddress::isPrefixed);
    }

    /** The CIDRs of a validated CIDR field: one, or a comma-separated dual-stack pair; none for null. */
    public static List<IPAddress> cidrs(String field) {
        if (field == null) {
            return List.of();
        }
        return Arrays.stream(field.split(",")).map(IpLiterals::cidr).flatMap(Optional::stream).toList();
    }

    /** A single address such as {@code 192.0.2.53}: no prefix length. */
    public static Optional<IPAddress> address(String text) {
        return parse(text).filter(a -> !a.isPrefixed());
    }

    private static Optional<IPAddress> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 64 || !text.strip().equals(text)) {
            return Optional.empty();
        }
        IPAddress address = new IPAddressString(text, STRICT).getAddress();
        return Optional.ofNullable(address).filter(a -> !a.isMultiple() || a.isPrefixed());
    }

    /** True when the address has no bits set beyond its prefix length. */
    public static boolean hasNoHostBits(IPAddress cidr) {
        return cidr.isPrefixed() && cidr.equals(cidr.toPrefixBlock());
    }
}
