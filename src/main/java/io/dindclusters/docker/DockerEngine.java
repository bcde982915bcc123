package io.dindclusters.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Device;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import io.micrometer.core.instrument.Counter;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The narrow view of one Docker engine that provisioning needs. Every call counts its failures in
 * {@code dind.docker.api.errors} (tagged with the host) and fails with a {@link DockerEngineException} carrying the
 * engine's message.
 */
public class DockerEngine {

    static final String METRIC_ERRORS = "dind.docker.api.errors";

    private final String host;
    private final DockerClient client;
    private final MeterRegistry meters;
    private final Map<String, Counter> errorCounters = new ConcurrentHashMap<>();

    DockerEngine(String host, DockerClient client, MeterRegistry meters) {
        this.host = host;
        this.client = client;
        this.meters = meters;
        for (String operation : List.of("ping", "network.create", "network.remove", "network.list",
                "network.connect", "container.create", "container.start", "container.inspect", "container.exec",
                "container.copy", "container.logs", "container.remove", "container.list", "image.inspect", "info", "image.build", "image.pull")) {
            errorCounter(operation);
        }
    }

    public void ping() {
        call("ping", () -> client.pingCmd().exec());
    }

    public boolean imageExists(String image) {
        return call("image.inspect", () -> {
            try {
                client.inspectImageCmd(image).exec();
                return true;
            } catch (NotFoundException e) {
                return false;
            }
        });
    }

    /**
     * Creates a bridge network; returns its id.
     *
     * @param subnets CIDRs for the network; empty lets the engine choose an IPv4 subnet
     */
    public String createNetwork(String name, Map<String, String> labels, List<String> subnets) {
        var create = client.createNetworkCmd()
                .withName(name)
                .withDriver("bridge")
                .withLabels(labels)
                .withCheckDuplicate(true);
        if (!subnets.isEmpty()) {
            create.withIpam(new Network.Ipam().withConfig(subnets.stream()
                    .map(subnet -> new Network.Ipam.Config().withSubnet(subnet)).toList()));
            create.withEnableIpv6(subnets.stream().anyMatch(subnet -> subnet.contains(":")));
        }
        return call("network.create", () -> create.exec().getId());
    }

    /**
     * Creates a container, writes its files, joins its extra networks and starts it; returns its id. A container
     * that was created but did not start is removed.
     */
    public String runContainer(ContainerRequest request) {
        HostConfig host = HostConfig.newHostConfig().withNetworkMode(request.network());
        if (!request.sysctls().isEmpty()) {
            host.withSysctls(request.sysctls());
        }
        if (request.security() != null) {
            applySecurity(host, request.security());
        } else if (!request.capabilities().isEmpty()) {
            host.withCapAdd(request.capabilities().stream().map(Capability::valueOf).toArray(Capability[]::new));
        }
        if (!request.devices().isEmpty()) {
            host.withDevices(request.devices().stream().map(d -> new Device("rwm", d, d)).toList());
        }
        List<Bind> binds = new java.util.ArrayList<>();
        request.readOnlyHostPaths().forEach(p -> binds.add(new Bind(p, new Volume(p), AccessMode.ro)));
        request.hostPaths().forEach(p -> binds.add(new Bind(p, new Volume(p), AccessMode.rw)));
        if (!binds.isEmpty()) {
            host.withBinds(binds);
        }
        if (request.noInit()) {
            host.withInit(false);
        }
        if (request.restartsOnFailure() > 0) {
            host.withRestartPolicy(RestartPolicy.onFailureRestart(request.restartsOnFailure()));
        }
        if (request.hostUserNamespace()) {
            host.withUsernsMode("host");
        }
        if (request.privateCgroupns()) {
            host.withCgroupnsMode("private");
        }
        if (request.publishedPort() > 0) {
            host.withPortBindings(new PortBinding(Ports.Binding.bindIp(request.publishAddress()),
                    ExposedPort.tcp(request.publishedPort())));
        }
        var create = client.createContainerCmd(request.image())
                .withName(request.name())
                .withHostName(request.name())
                .withLabels(request.labels())
                .withHostConfig(host);
        if (!request.anonymousVolumes().isEmpty()) {
            create.withVolumes(request.anonymousVolumes().stream().map(Volume::new).toList());
        }
        if (request.publishedPort() > 0) {
            create.withExposedPorts(ExposedPort.tcp(request.publishedPort()));
        }
        if (!request.command().isEmpty()) {
            create.withCmd(request.command());
        }
        if (!request.entrypoint().isEmpty()) {
            create.withEntrypoint(request.entrypoint());
        }
        if (!request.environment().isEmpty()) {
            create.withEnv(request.environment().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .sorted().toList());
        }
        if (request.tty()) {
            create.withTty(true);
        }
        if (request.ipv4Address() != null) {
            create.withIpv4Address(request.ipv4Address());
        }
        if (request.ipv6Address() != null) {
            create.withIpv6Address(request.ipv6Address());
        }
        String id = call("container.create", () -> create.exec().getId());
        try {
            if (!request.files().isEmpty()) {
                copyFiles(id, request.files());
            }
            for (String network : request.extraNetworks()) {
                call("network.connect", () -> client.connectToNetworkCmd().withNetworkId(network)
                        .withContainerId(id).exec());
            }
            call("container.start", () -> client.startContainerCmd(id).exec());
        } catch (RuntimeException e) {
            // Whatever failed after the create (a file, a network, the start), the container must not stay behind.
            removeContainer(id);
            throw e;
        }
        return id;
    }

    /**
     * Writes files into a container, created or running, in one call to the engine's archive API: no shell is
     * involved; missing folders are made. The engine cannot replace files it bind-mounts itself (/etc/resolv.conf,
     * /etc/hosts): write those elsewhere and copy them over with exec.
     *
     * @param files contents by absolute path
     */
    public void copyFiles(String container, Map<String, String> files) {
        var tar = new java.io.ByteArrayOutputStream();
        try (var out = new TarArchiveOutputStream(tar)) {
            for (var file : new java.util.TreeMap<>(files).entrySet()) {
                String path = requireFilePath(file.getKey());
                byte[] bytes = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(path.substring(1));
                entry.setSize(bytes.length);
                entry.setMode(0644);
                out.putArchiveEntry(entry);
                out.write(bytes);
                out.closeArchiveEntry();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        call("container.copy", () -> client.copyArchiveToContainerCmd(container).withRemotePath("/")
                .withTarInputStream(new java.io.ByteArrayInputStream(tar.toByteArray())).exec());
    }

    /** An absolute path of a file, without "..": what a file written into a container may be named. */
    public static String requireFilePath(String path) {
        if (!path.startsWith("/") || path.endsWith("/") || path.contains("..")) {
            throw new IllegalArgumentException("not an absolute file path: " + path);
        }
        return path;
    }

    /** The last {@code lines} lines a container wrote to stdout and stderr, for a failure's reason. */
    public String lastLogLines(String container, int lines) {
        StringBuilder out = new StringBuilder();
        var callback = new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
                synchronized (out) {
                    out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
            }
        };
        call("container.logs", () -> {
            try {
                client.logContainerCmd(container).withStdOut(true).withStdErr(true).withTail(lines).exec(callback)
                        .awaitCompletion(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        synchronized (out) {
            return out.toString().strip();
        }
    }

    /** {@code docker inspect} of a container, as the engine's JSON (docker-java's model, pretty-printed). */
    public String inspectJson(String container) {
        var inspect = call("container.inspect", () -> client.inspectContainerCmd(container).exec());
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper()
                    .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                    .disable(com.fasterxml.jackson.databind.SerializationFeature.FAIL_ON_EMPTY_BEANS)
                    .writerWithDefaultPrettyPrinter().writeValueAsString(inspect);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render the inspection of " + container + ": " + e.getMessage(), e);
        }
    }

    /**
     * A path of a container as a tar stream (docker cp), for the caller to read and close; a path that is not there
     * is a {@link DockerEngineException}.
     */
    public java.io.InputStream archive(String container, String path) {
        return call("container.archive", () -> client.copyArchiveFromContainerCmd(container, path).exec());
    }

    /** What PID 1 of a container of this image runs when nothing replaces it: its entrypoint, then its command. */
    public List<String> imageCommand(String image) {
        return call("image.inspect", () -> {
            var config = client.inspectImageCmd(image).exec().getConfig();
            List<String> argv = new java.util.ArrayList<>();
            if (config != null && config.getEntrypoint() != null) {
                argv.addAll(List.of(config.getEntrypoint()));
            }
            if (config != null && config.getCmd() != null) {
                argv.addAll(List.of(config.getCmd()));
            }
            return argv;
        });
    }

    /** What the engine says of itself that decides how kind nodes must be run on it. */
    public EngineFacts facts() {
        return call("info", () -> factsOf(client.infoCmd().exec()));
    }

    private static EngineFacts factsOf(com.github.dockerjava.api.model.Info info) {
        String backing = info.getDriverStatuses() == null ? "" : info.getDriverStatuses().stream()
                .filter(s -> s.size() == 2 && "Backing Filesystem".equals(s.get(0))).map(s -> s.get(1))
                .findFirst().orElse("");
        boolean userns = info.getSecurityOptions() != null && info.getSecurityOptions().stream()
                .anyMatch(o -> o.contains("name=userns"));
        return new EngineFacts(info.getDriver() == null ? "" : info.getDriver(), backing, userns);
    }

    /** What the engine says of its host, for the preflight checks. */
    public record EngineInfo(String serverVersion, String kernelVersion, String operatingSystem, String cgroupVersion,
                             String cgroupDriver, String storageDriver, String backingFilesystem, String rootDir,
                             int cpus, long memoryBytes) {
    }

    public EngineInfo info() {
        return call("info", () -> {
            var info = client.infoCmd().exec();
            EngineFacts facts = factsOf(info);
            return new EngineInfo(blankToEmpty(info.getServerVersion()), blankToEmpty(info.getKernelVersion()),
                    blankToEmpty(info.getOperatingSystem()), blankToEmpty(info.getCGroupVersion()),
                    blankToEmpty(info.getCGroupDriver()), facts.storageDriver(), facts.backingFilesystem(),
                    blankToEmpty(info.getDockerRootDir()), info.getNCPU() == null ? 0 : info.getNCPU(),
                    info.getMemTotal() == null ? 0 : info.getMemTotal());
        });
    }

    private static String blankToEmpty(String s) {
        return s == null ? "" : s;
    }

    /**
     * Runs a short-lived container on the host's network namespace with these read-only binds (host path to
     * container path) and returns what it printed; it is removed whatever happens, and one that has not ended within
     * {@code timeout} is a {@link DockerEngineException}.
     */
    public String probe(String image, List<String> argv, Map<String, String> readOnlyBinds, Map<String, String> labels,
                        Duration timeout) {
        List<Bind> binds = readOnlyBinds.entrySet().stream()
                .map(e -> new Bind(e.getKey(), new Volume(e.getValue()), AccessMode.ro)).toList();
        HostConfig config = HostConfig.newHostConfig().withNetworkMode("host").withBinds(binds);
        String id = call("container.create", () -> client.createContainerCmd(image).withLabels(labels)
                .withEntrypoint(argv.toArray(String[]::new)).withCmd(List.of()).withHostConfig(config).exec().getId());
        try {
            call("container.start", () -> client.startContainerCmd(id).exec());
            Integer exit = call("container.wait", () -> client.waitContainerCmd(id)
                    .exec(new com.github.dockerjava.api.command.WaitContainerResultCallback())
                    .awaitStatusCode(timeout.toMillis(), TimeUnit.MILLISECONDS));
            String output = lastLogLines(id, 1000);
            if (exit == null || exit != 0) {
                throw new DockerEngineException(host, "container.probe",
                        new IllegalStateException("the probe exited with " + exit + ": " + output));
            }
            return output;
        } finally {
            removeContainer(id);
        }
    }

    /** The host port the engine chose for a published container port. */
    public int publishedPort(String container, int containerPort) {
        return call("container.inspect", () -> {
            Ports.Binding[] bindings = client.inspectContainerCmd(container).exec().getNetworkSettings().getPorts()
                    .getBindings().get(ExposedPort.tcp(containerPort));
            if (bindings == null || bindings.length == 0) {
                throw new IllegalStateException("port " + containerPort + " of " + container + " is not published");
            }
            return Integer.parseInt(bindings[0].getHostPortSpec());
        });
    }

    /**
     * Pulls an image, reporting progress now and then: at most one line a second, and when it is done.
     *
     * @throws DockerEngineException with the engine's or the registry's reason when the pull fails
     */
    public void pullImage(String image, Duration timeout, Consumer<String> progress) {
        var layers = new java.util.concurrent.ConcurrentHashMap<String, String>();
        long[] lastReport = {0};
        var callback = new ResultCallback.Adapter<PullResponseItem>() {
            @Override
            public void onNext(PullResponseItem item) {
                if (item.getId() != null && item.getStatus() != null && item.getProgressDetail() != null) {
                    layers.put(item.getId(), item.getStatus());
                }
                long now = System.nanoTime();
                if (now - lastReport[0] > 1_000_000_000L && !layers.isEmpty()) {
                    lastReport[0] = now;
                    long done = layers.values().stream()
                            .filter(s -> s.equals("Pull complete") || s.equals("Already exists")).count();
                    progress.accept("pulling " + image + ": " + done + " of " + layers.size() + " layers done");
                }
            }
        };
        try {
            call("image.pull", () -> {
                try {
                    if (!client.pullImageCmd(image).exec(callback)
                            .awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                        throw new IllegalStateException("it did not finish within " + timeout);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            });
        } catch (DockerEngineException e) {
            throw new DockerEngineException(host, "image.pull",
                    new IllegalStateException("pulling " + image + " failed: " + e.getMessage(), e));
        }
        progress.accept("pulled " + image);
    }

    public ContainerAddresses addresses(String containerId, String network) {
        return call("container.inspect", () -> {
            Map<String, ContainerNetwork> networks =
                    client.inspectContainerCmd(containerId).exec().getNetworkSettings().getNetworks();
            ContainerNetwork on = networks == null ? null : networks.get(network);
            if (on == null) {
                return new ContainerAddresses(null, null);
            }
            return new ContainerAddresses(blankToNull(on.getIpAddress()), blankToNull(on.getGlobalIPv6Address()));
        });
    }

    /** Ids of all containers, running or not, that carry every one of these labels. */
    public List<String> containersLabelled(Map<String, String> labels) {
        return containersWithLabels(labels).stream().map(LabelledContainer::id).toList();
    }

    /** A container found by its labels: its id, name (no leading slash) and every label. */
    public record LabelledContainer(String id, String name, Map<String, String> labels) {
    }

    /** Every container, running or not, that carries every one of these labels, by name. */
    public List<LabelledContainer> containersWithLabels(Map<String, String> labels) {
        return call("container.list", () -> client.listContainersCmd().withShowAll(true).withLabelFilter(labels)
                .exec().stream().map(c -> new LabelledContainer(c.getId(),
                        c.getNames() == null || c.getNames().length == 0 ? c.getId() : c.getNames()[0].replaceFirst("^/", ""),
                        c.getLabels() == null ? Map.of() : c.getLabels()))
                .sorted(java.util.Comparator.comparing(LabelledContainer::name)).toList());
    }

    /** A container's state as the engine says it, and when it last started. */
    public record ContainerState(String state, Instant startedAt) {
    }

    /** Every container with all of these labels: name to its state (running, exited, restarting, ...). */
    public Map<String, ContainerState> states(Map<String, String> labels) {
        return call("container.list", () -> {
            Map<String, ContainerState> states = new java.util.TreeMap<>();
            for (Container c : client.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec()) {
                String name = c.getNames() == null || c.getNames().length == 0 ? c.getId() : c.getNames()[0];
                Instant started = null;
                if ("running".equals(c.getState())) {
                    // the list has no start time; only running containers need one
                    String at = client.inspectContainerCmd(c.getId()).exec().getState().getStartedAt();
                    started = at == null ? null : Instant.parse(at);
                }
                states.put(name.startsWith("/") ? name.substring(1) : name, new ContainerState(c.getState(), started));
            }
            return states;
        });
    }

    /** Label maps of all containers with this label key, for finding orphans. */
    public List<Map<String, String>> containerLabels(String labelKey, String labelValue) {
        return call("container.list", () -> client.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(labelKey, labelValue)).exec().stream()
                .map(c -> c.getLabels() == null ? Map.<String, String>of() : c.getLabels()).toList());
    }

    public List<String> networksLabelled(Map<String, String> labels) {
        List<String> filter = labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        return call("network.list", () -> client.listNetworksCmd().withFilter("label", filter)
                .exec().stream().map(Network::getId).toList());
    }

    public List<Map<String, String>> networkLabels(String labelKey, String labelValue) {
        return call("network.list", () -> client.listNetworksCmd()
                .withFilter("label", List.of(labelKey + "=" + labelValue)).exec().stream()
                .map(n -> n.getLabels() == null ? Map.<String, String>of() : n.getLabels()).toList());
    }

    /**
     * Runs a command in a running container: an argument array, never a shell line. Each output line goes to
     * {@code lines} as it arrives.
     *
     * @throws DockerEngineException when the engine fails, or the command runs longer than {@code timeout}
     */
    public ExecResult exec(String container, List<String> argv, Duration timeout, Consumer<String> lines) {
        String execId = call("container.exec", () -> client.execCreateCmd(container)
                .withCmd(argv.toArray(String[]::new)).withAttachStdout(true).withAttachStderr(true)
                .exec().getId());
        StringBuilder output = new StringBuilder();
        StringBuilder partial = new StringBuilder();
        var callback = new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
                synchronized (output) {
                    String text = new String(frame.getPayload(), StandardCharsets.UTF_8);
                    output.append(text);
                    partial.append(text);
                    for (int nl = partial.indexOf("\n"); nl >= 0; nl = partial.indexOf("\n")) {
                        lines.accept(partial.substring(0, nl));
                        partial.delete(0, nl + 1);
                    }
                }
            }
        };
        boolean finished = call("container.exec", () -> {
            try {
                return client.execStartCmd(execId).exec(callback).awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running " + argv.get(0), e);
            }
        });
        if (!finished) {
            throw new DockerEngineException(host, "container.exec",
                    new IllegalStateException(argv.get(0) + " did not finish within " + timeout));
        }
        synchronized (output) {
            if (!partial.isEmpty()) {
                lines.accept(partial.toString());
            }
        }
        Long exitCode = call("container.exec", () -> client.inspectExecCmd(execId).exec().getExitCodeLong());
        return new ExecResult(exitCode == null ? -1 : exitCode, output.toString());
    }

    /** Builds an image from a Dockerfile (its folder is the context) without pulling; returns the image id. */
    public String buildImage(java.io.File dockerfile, String tag, Map<String, String> buildArgs,
                             Map<String, String> labels, Duration timeout) {
        return call("image.build", () -> {
            var build = client.buildImageCmd(dockerfile).withTags(java.util.Set.of(tag)).withLabels(labels)
                    .withPull(false);
            buildArgs.forEach(build::withBuildArg);
            return build.exec(new com.github.dockerjava.api.command.BuildImageResultCallback())
                    .awaitImageId(timeout.toSeconds(), TimeUnit.SECONDS);
        });
    }

    /** Subnets of every network on the engine, by network name: address space that new networks must avoid. */
    public Map<String, List<String>> networkSubnets() {
        return call("network.list", () -> {
            Map<String, List<String>> subnets = new java.util.TreeMap<>();
            for (Network network : client.listNetworksCmd().exec()) {
                Network.Ipam ipam = network.getIpam();
                List<String> cidrs = ipam == null || ipam.getConfig() == null ? List.of() : ipam.getConfig().stream()
                        .map(Network.Ipam.Config::getSubnet).filter(java.util.Objects::nonNull).toList();
                if (!cidrs.isEmpty()) {
                    subnets.put(network.getName(), cidrs);
                }
            }
            return subnets;
        });
    }

    /**
     * Removes a container and its anonymous volumes, running or not; one already gone is fine, and one being removed
     * already (by an earlier request that reached the engine late) is waited for.
     */
    public void removeContainer(String id) {
        call("container.remove", () -> {
            try {
                client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
            } catch (NotFoundException e) {
                // already gone: removal is idempotent
            } catch (ConflictException e) {
                if (e.getMessage() == null || !e.getMessage().contains("already in progress")) {
                    throw e;
                }
                awaitGone(id);
            }
        });
    }

    private void awaitGone(String id) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            try {
                client.inspectContainerCmd(id).exec();
                Thread.sleep(200);
            } catch (NotFoundException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("container " + id + " was still being removed after 60 s");
    }

    public void removeNetwork(String id) {
        call("network.remove", () -> {
            try {
                client.removeNetworkCmd(id).exec();
            } catch (NotFoundException e) {
                // already gone: removal is idempotent
            }
        });
    }

    /**
     * Whether the engine lets a container run privileged: starts a throw-away container from {@code image} that
     * exits at once. Some VMs refuse ("unable to apply caps").
     */
    public boolean allowsPrivileged(String image, Map<String, String> labels) {
        HostConfig host = HostConfig.newHostConfig().withPrivileged(true).withNetworkMode("none");
        String id = call("container.create", () -> client.createContainerCmd(image)
                .withLabels(labels).withEntrypoint("true").withCmd(List.of()).withHostConfig(host).exec().getId());
        try {
            client.startContainerCmd(id).exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        } finally {
            removeContainer(id);
        }
    }

    private static void applySecurity(HostConfig host, NodeSecurity security) {
        switch (security) {
            // kind adds unconfined seccomp and AppArmor to --privileged too
            case privileged -> host.withPrivileged(true)
                    .withSecurityOpts(List.of("seccomp=unconfined", "apparmor=unconfined"));
            case capabilities -> host
                    .withCapAdd(Capability.ALL)
                    .withCapDrop(Capability.SYS_RESOURCE)
                    .withSecurityOpts(List.of("seccomp=unconfined", "apparmor=unconfined"))
                    .withDeviceCgroupRules(List.of("a *:* rwm"));
            case auto -> throw new IllegalArgumentException("resolve auto before creating a container");
        }
        host.withTmpFs(Map.of("/run", "rw", "/tmp", "rw"));
    }

    private void call(String operation, Runnable action) {
        call(operation, () -> {
            action.run();
            return null;
        });
    }

    private <T> T call(String operation, Supplier<T> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            errorCounter(operation).increment();
            throw e instanceof DockerEngineException d ? d : new DockerEngineException(host, operation, e);
        }
    }

    private Counter errorCounter(String operation) {
        return errorCounters.computeIfAbsent(operation, op -> Counter.builder(METRIC_ERRORS)
                .description("Docker engine API calls that failed")
                .tag("operation", op)
                .tag("host", host)
                .register(meters));
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
