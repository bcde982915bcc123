package io.dindclusters.provision;

import io.dindclusters.kube.CniConfig;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The pod network: the CNI bridge plugin with host-local IPAM over each node's own pod prefixes, written on every
 * node at once. The routes between the prefixes are already in place (route-pod-prefixes).
 */
@Component
class InstallCniStep implements KubeadmProvisioningStep {


    InstallCniStep() {
    }

    @Override
    public int stage() {
        return 430;
    }

    @Override
    public String name() {
        return "install-cni";
    }

    @Override
    public void run(ProvisioningContext context) throws Exception {
        context.forEachConcurrently(context.nodes(), node -> {
            context.engine().copyFiles(node.name(), Map.of(CniConfig.PATH, CniConfig.render(context.spec().name(), node)));
            context.events().log(node.name() + ": bridge CNI over " + String.join(", ", node.podPrefixes()));
            return node;
        });
    }
}
