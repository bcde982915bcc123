package io.dindclusters.provision;

import io.dindclusters.cluster.ClusterSpec;
import io.dindclusters.cluster.SupportContainer;
import io.dindclusters.docker.ContainerAddresses;
import io.dindclusters.docker.ContainerRequest;
import io.dindclusters.nat64.Nat64Plan;
import io.dindclusters.network.IpMode;
import java.time.Duration;
import java.util.List;

/**
 * Starts one container beside the nodes of an IPv6-only cluster (DNS64 or NAT64) from the support image of its
 * role, at its fixed address, on the uplink too when there is one; records it, and waits until it is ready.
 */
abstract class StartSupportContainerStep implements ProvisioningStep {

    static final Duration READY_DEADLINE = Duration.ofSeconds(30);

    /** {@link SupportContainer#DNS64} or {@link SupportContainer#NAT64}: the image, the label and the name suffix. */
    abstract String role();

    /** Its fixed IPv6 address on the cluster network. */
    abstract String address(Nat64Plan plan);

    /** What the role needs besides the common parts: configuration files, privileges, a command. */
    abstract void configure(ContainerRequest request, Nat64Plan plan);

    /** A command that succeeds once the container serves. */
    abstract List<String> readinessCommand();

    /** What it does, for the events. */
    abstract String summary(Nat64Plan plan, String image, ContainerAddresses addresses, List<String> uplinks);

    @Override
    public int stage() {
        return 200;
    }

    @Override
    public boolean appliesTo(ClusterSpec spec) {
        return spec.ipMode() == IpMode.ipv6;
    }

    @Override
    public void run(ProvisioningContext context) throws Exception {
        Nat64Plan plan = Nat64Plan.of(context.spec().network());
        String image = context.host().images().ensure(role());
        String name = context.spec().name() + "-" + role();
        ContainerRequest request = ContainerRequest.of(name, image, context.networkName(), context.labels(role()))
                .withIpv6Address(address(plan))
                .withExtraNetworks(context.host().uplinkNetworks());
        configure(request, plan);
        String id = context.engine().runContainer(request);
        ContainerAddresses addresses = context.engine().addresses(id, context.networkName());
        context.supportContainer(new SupportContainer(name, role(), addresses.ipv6(), addresses.ipv4()));
        context.events().log(summary(plan, image, addresses, context.host().uplinkNetworks()));
        try {
            context.commands().awaitSuccess(name, readinessCommand(), READY_DEADLINE);
        } catch (StepFailedException | io.dindclusters.docker.DockerEngineException e) {
            // Most often the container's own process stopped (no /dev/net/tun, a bad config): say what it said.
            throw new StepFailedException(name + " did not become ready: " + e.getMessage() + "; its last log lines:\n"
                    + context.engine().lastLogLines(id, 15), e);
        }
        context.events().log(name + " is ready");
    }
}
