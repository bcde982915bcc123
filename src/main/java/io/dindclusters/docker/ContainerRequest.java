package io.dindclusters.docker;

import java.util.List;
import java.util.Map;

/**
 * A container to create and start on a network. Build one with {@link #of} and the {@code with*} methods.
 *
 * @param security      privileges of a node container; null for a support container, which gets only
 *                      {@code capabilities}
 * @param command       replaces the image's command when not empty
 * @param ipv4Address   a fixed IPv4 address on {@code network}; null lets the engine choose
 * @param ipv6Address   a fixed IPv6 address on {@code network}; null lets the engine choose
 * @param capabilities  capabilities added to a support container (NET_ADMIN, say)
 * @param devices       host devices passed through, such as /dev/net/tun
 * @param files         files written into the container before it starts, by absolute path: rendered configuration
 *                      never passes through a shell
 * @param extraNetworks networks joined before the container starts, besides {@code network}
 */
public record ContainerRequest(String name, String hostname, String image, String network,
                               Map<String, String> labels, NodeSecurity security, Map<String, String> sysctls,
                               List<String> command, String ipv4Address, String ipv6Address, List<String> capabilities,
                               List<String> devices, Map<String, String> files, List<String> extraNetworks) {

    public ContainerRequest {
        labels = Map.copyOf(labels);
        sysctls = sysctls == null ? Map.of() : Map.copyOf(sysctls);
        command = command == null ? List.of() : List.copyOf(command);
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        devices = devices == null ? List.of() : List.copyOf(devices);
        files = files == null ? Map.of() : Map.copyOf(files);
        extraNetworks = extraNetworks == null ? List.of() : List.copyOf(extraNetworks);
    }

    public static ContainerRequest of(String name, String image, String network, Map<String, String> labels) {
        return new ContainerRequest(name, name, image, network, labels, null, null, null, null, null, null, null, null, null);
    }

    public ContainerRequest withSecurity(NodeSecurity security) {
        return new ContainerRequest(name, hostname, image, network, labels, security, sysctls, command, ipv4Address, ipv6Address,
                capabilities, devices, files, extraNetworks);
    }

    public ContainerRequest withSysctls(Map<String, String> sysctls) {
        return new ContainerRequest(name, hostname, image, network, labels, security, sysctls, command, ipv4Address, ipv6Address,
                capabilities, devices, files, extraNetworks);
    }

    public ContainerRequest withCommand(List<String> command) {
        return new ContainerRequest(name, hostname, image, network, labels, security, sysctls, command, ipv4Address, ipv6Address,
                capabilities, devices, files, extraNetworks);
    }

    public ContainerRequest withIpv4Address(String ipv4Address) {
        return new ContainerRequest(name, hostname, image, network, labels, security, sysctls, command, ipv4Address,
                ipv6Address, capabilities, devices, files, extraNetworks);
    }

    public ContainerRequest withIpv6Address(String ipv6Address) {
        return new ContainerRequest(name, hostname, image, network, labels, security, sysctls, command, ipv4Address, ipv6Address,
                capabilities, devices, files, extraNetworks);
    }

    public ContainerRequest withCapabilities(List<String> capabilities) {
        return new ContainerRequest(name, hostname, image, network, labels, security, sysctls, command, ipv4Address, ipv6Address,
                capabilities, devices, files, extraNetworks);
    }

    public ContainerRequest withDevices(List<String> devices) {
        return new ContainerRequest(name, hostname, image, network, labels, security, sysctls, command, ipv4Address, ipv6Address,
                capabilities, devices, files, extraNetworks);
    }

    public ContainerRequest withFiles(Map<String, String> files) {
        return new ContainerRequest(name, hostname, image, network, labels, security, sysctls, command, ipv4Address, ipv6Address,
                capabilities, devices, files, extraNetworks);
    }

    public ContainerRequest withExtraNetworks(List<String> extraNetworks) {
        return new ContainerRequest(name, hostname, image, network, labels, security, sysctls, command, ipv4Address, ipv6Address,
                capabilities, devices, files, extraNetworks);
    }
}
