package io.dindclusters.network;

import inet.ipaddr.IPAddress;
import java.util.Iterator;

/**
 * A range carved into blocks of one size, written {@code CIDR/blockLength} ({@code 10.250.0.0/16/24}: /24 blocks
 * out of 10.250.0.0/16). Address pools for clusters and per-node pod prefixes are both such ranges.
 */
public record AddressPool(IPAddress range, int blockLength) {

    public AddressPool {
        if (blockLength < range.getNetworkPrefixLength() || blockLength > range.getBitCount()) {
            throw new IllegalArgumentException("pool " + range + " cannot hold /" + blockLength + " blocks");
        }
    }

    public static AddressPool parse(String text) {
        int slash = text.lastIndexOf('/');
        IPAddress range = IpLiterals.cidr(text.substring(0, Math.max(slash, 0)))
                .filter(IpLiterals::hasNoHostBits)
                .orElseThrow(() -> new IllegalArgumentException("not a pool (CIDR/blockLength): " + text));
        return new AddressPool(range, Integer.parseInt(text.substring(slash + 1)));
    }

    /** The blocks in address order. */
    public Iterator<? extends IPAddress> blocks() {
        // false: keep the range's whole extent while lengthening the prefix, rather than zeroing it to one block
        return range.setPrefixLength(blockLength, false).prefixBlockIterator();
    }
}
