package io.dindclusters.network;

import java.util.List;

/** Which address families the cluster's nodes, pods and services use. Lower-case because that is the JSON value. */
public enum IpMode {
    ipv4(List.of(AddressFamily.IPV4)),
    ipv6(List.of(AddressFamily.IPV6)),
    dual(List.of(AddressFamily.IPV4, AddressFamily.IPV6));

    private final List<AddressFamily> families;

    IpMode(List<AddressFamily> families) {
        this.families = families;
    }

    public List<AddressFamily> families() {
        return families;
    }
}
