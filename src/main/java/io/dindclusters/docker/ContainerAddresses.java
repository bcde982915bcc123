package io.dindclusters.docker;

/** Addresses a container got on one network; null where the network has no such family. */
public record ContainerAddresses(String ipv4, String ipv6) {
}
