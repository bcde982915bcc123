package io.dindclusters.provision;

import io.dindclusters.cluster.ClusterSpec;
import io.dindclusters.cluster.Node;
import io.dindclusters.kube.CoreDnsConfig;
import io.dindclusters.kube.KubernetesProperties;
import io.dindclusters.nat64.Nat64Plan;
import io.dindclusters.network.IpMode;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * In an IPv6-only cluster CoreDNS forwards to the cluster's DNS64 server, so pods resolve outside names (and get
 * synthesized AAAA records for IPv4-only hosts). Applied with the control plane's kubectl, then CoreDNS restarts.
 */
@Component
class ConfigureCoreDnsStep implements KubeadmProvisioningStep {

    static final String KUBECTL_CONFIG = "--kubeconfig=" + KubeadmInitStep.ADMIN_CONF;

    private final KubernetesProperties kubernetes;

    ConfigureCoreDnsStep(KubernetesProperties kubernetes) {
        this.kubernetes = kubernetes;
    }

    @Override
    public int stage() {
        return 430;
    }

    @Override
    public String name() {
        return "configure-coredns";
    }

    @Override
    public boolean appliesTo(ClusterSpec spec) {
        return KubeadmProvisioningStep.super.appliesTo(spec) && spec.ipMode() == IpMode.ipv6;
    }

    @Override
    public void run(ProvisioningContext context) throws Exception {
        Node controlPlane = context.nodes().get(0);
        String dns64 = Nat64Plan.of(context.spec().network()).dns64Address();
        context.engine().copyFiles(controlPlane.name(), Map.of(CoreDnsConfig.PATH, CoreDnsConfig.render(dns64)));
        for (List<String> argv : List.of(
                List.of("kubectl", KUBECTL_CONFIG, "apply", "-f", CoreDnsConfig.PATH),
                List.of("kubectl", KUBECTL_CONFIG, "-n", "kube-system", "rollout", "restart", "deployment/coredns"))) {
            context.commands().runLogged(controlPlane.name(), argv, kubernetes.commandTimeout(), context.events());
        }
        context.events().log("CoreDNS forwards to DNS64 " + dns64);
    }
}
