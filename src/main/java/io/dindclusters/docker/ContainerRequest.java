package io.dindclusters.docker;

import java.util.List;
import java.util.Map;

/**
 * A container to create and start on a network: start with {@link #of}, add what it needs with the {@code with*}
 * methods (each returns this request), and hand it to {@link DockerEngine#runContainer}.
 */
public final class ContainerRequest {

    private final String name;
    private final String image;
    private final String network;
    private final Map<String, String> labels;
    private NodeSecurity security;
    private Map<String, String> sysctls = Map.of();
    private List<String> command = List.of();
    private String ipv4Address;
    private String ipv6Address;
    private List<String> capabilities = List.of();
    private List<String> devices = List.of();
    private Map<String, String> files = Map.of();
    private List<String> extraNetworks = List.of();
    private List<String> anonymousVolumes = List.of();
    private List<String> readOnlyHostPaths = List.of();
    private boolean privateCgroupns;
    private int publishedPort;
    private String publishAddress;
    private Map<String, String> environment = Map.of();
    private List<String> hostPaths = List.of();
    private List<String> entrypoint = List.of();
    private boolean tty;
    private boolean noInit;
    private int restartsOnFailure;
    private boolean hostUserNamespace;

    private ContainerRequest(String name, String image, String network, Map<String, String> labels) {
        this.name = name;
        this.image = image;
        this.network = network;
        this.labels = Map.copyOf(labels);
    }

    /** A container named {@code name} (also its host name) on {@code network}, carrying {@code labels}. */
    public static ContainerRequest of(String name, String image, String network, Map<String, String> labels) {
        return new ContainerRequest(name, image, network, labels);
    }

    /** Privileges of a node container; a support container has none but its {@link #withCapabilities}. */
    public ContainerRequest withSecurity(NodeSecurity security) {
        this.security = security;
        return this;
    }

    /** Kernel settings of the container's namespaces, set at creation (/proc/sys is read-only later). */
    public ContainerRequest withSysctls(Map<String, String> sysctls) {
        this.sysctls = Map.copyOf(sysctls);
        return this;
    }

    /** Replaces the image's command. */
    public ContainerRequest withCommand(List<String> command) {
        this.command = List.copyOf(command);
        return this;
    }

    /** A fixed IPv4 address on the network; null lets the engine choose. */
    public ContainerRequest withIpv4Address(String address) {
        this.ipv4Address = address;
        return this;
    }

    /** A fixed IPv6 address on the network; null lets the engine choose. */
    public ContainerRequest withIpv6Address(String address) {
        this.ipv6Address = address;
        return this;
    }

    /** Capabilities added to a container without a node security profile (NET_ADMIN, say). */
    public ContainerRequest withCapabilities(List<String> capabilities) {
        this.capabilities = List.copyOf(capabilities);
        return this;
    }

    /** Host devices passed through, such as /dev/net/tun. */
    public ContainerRequest withDevices(List<String> devices) {
        this.devices = List.copyOf(devices);
        return this;
    }

    /** Files written before the container starts, by absolute path: rendered configuration, never via a shell. */
    public ContainerRequest withFiles(Map<String, String> files) {
        this.files = Map.copyOf(files);
        return this;
    }

    /** Networks joined before the container starts, besides its own. */
    public ContainerRequest withExtraNetworks(List<String> networks) {
        this.extraNetworks = List.copyOf(networks);
        return this;
    }

    /** Paths that get an anonymous volume (kind's /var), removed with the container. */
    public ContainerRequest withAnonymousVolumes(List<String> paths) {
        this.anonymousVolumes = List.copyOf(paths);
        return this;
    }

    /** Host paths mounted read-only at the same path (kind's /lib/modules). */
    public ContainerRequest withReadOnlyHostPaths(List<String> paths) {
        this.readOnlyHostPaths = List.copyOf(paths);
        return this;
    }

    /** A cgroup namespace of its own, as kind's nodes have. */
    public ContainerRequest withPrivateCgroupns() {
        this.privateCgroupns = true;
        return this;
    }

    /** Publishes a TCP port on {@code address} of the Docker host, at a port the engine chooses. */
    public ContainerRequest withPublishedPort(int containerPort, String address) {
        this.publishedPort = containerPort;
        this.publishAddress = address;
        return this;
    }

    /** Environment variables of the container's processes. */
    public ContainerRequest withEnvironment(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
        return this;
    }

    /** Host paths mounted read-write at the same path (kind's /dev/mapper). */
    public ContainerRequest withHostPaths(List<String> paths) {
        this.hostPaths = List.copyOf(paths);
        return this;
    }

    /** Replaces the image's entrypoint (and so, with {@link #withCommand}, what PID 1 runs). */
    public ContainerRequest withEntrypoint(List<String> entrypoint) {
        this.entrypoint = List.copyOf(entrypoint);
        return this;
    }

    /**
     * What kind gives every node container: a terminal, the image's entrypoint as PID 1 whatever the daemon's
     * {@code "init"} setting (docker-init would take PID 1 otherwise), and one restart when it fails.
     */
    public ContainerRequest asKindNode() {
        this.tty = true;
        this.noInit = true;
        this.restartsOnFailure = 1;
        return this;
    }

    /** The host's user namespace, which kind nodes need on daemons that remap user namespaces. */
    public ContainerRequest withHostUserNamespace() {
        this.hostUserNamespace = true;
        return this;
    }

    public Map<String, String> environment() {
        return environment;
    }

    public List<String> hostPaths() {
        return hostPaths;
    }

    public List<String> entrypoint() {
        return entrypoint;
    }

    public boolean tty() {
        return tty;
    }

    public boolean noInit() {
        return noInit;
    }

    public int restartsOnFailure() {
        return restartsOnFailure;
    }

    public boolean hostUserNamespace() {
        return hostUserNamespace;
    }

    public String name() {
        return name;
    }

    public String image() {
        return image;
    }

    public String network() {
        return network;
    }

    public Map<String, String> labels() {
        return labels;
    }

    public NodeSecurity security() {
        return security;
    }

    public Map<String, String> sysctls() {
        return sysctls;
    }

    public List<String> command() {
        return command;
    }

    public String ipv4Address() {
        return ipv4Address;
    }

    public String ipv6Address() {
        return ipv6Address;
    }

    public List<String> capabilities() {
        return capabilities;
    }

    public List<String> devices() {
        return devices;
    }

    public Map<String, String> files() {
        return files;
    }

    public List<String> extraNetworks() {
        return extraNetworks;
    }

    public List<String> anonymousVolumes() {
        return anonymousVolumes;
    }

    public List<String> readOnlyHostPaths() {
        return readOnlyHostPaths;
    }

    public boolean privateCgroupns() {
        return privateCgroupns;
    }

    public int publishedPort() {
        return publishedPort;
    }

    public String publishAddress() {
        return publishAddress;
    }
}
