package io.dindclusters.network;

import inet.ipaddr.IPAddress;

/** The address families a cluster network can carry. */
public enum AddressFamily {
    IPV4, IPV6;

    public static AddressFamily of(IPAddress address) {
        return address.isIPv4() ? IPV4 : IPV6;
    }

    @Override
    public String toString() {
        return this == IPV4 ? "IPv4" : "IPv6";
    }
}
