package io.dindclusters.provision;

import io.dindclusters.kube.KubernetesProperties;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The default StorageClass the node image ships (kind's local-path provisioner, marked default), applied as kind
 * does after the pod network, so PersistentVolumeClaims bind. An image without the manifest gets none, and says so.
 */
@Component
class InstallStorageStep implements KubeadmProvisioningStep {

    static final String MANIFEST = "/kind/manifests/default-storage.yaml";

    private final KubernetesProperties kubernetes;

    InstallStorageStep(KubernetesProperties kubernetes) {
        this.kubernetes = kubernetes;
    }

    @Override
    public int stage() {
        return 435;
    }

    @Override
    public String name() {
        return "install-storage";
    }

    @Override
    public void run(ProvisioningContext context) throws Exception {
        String controlPlane = context.nodes().get(0).name();
        if (!context.commands().succeeds(controlPlane, List.of("test", "-f", MANIFEST))) {
            context.events().log("the node image has no " + MANIFEST + ": the cluster gets no default StorageClass");
            return;
        }
        context.commands().runLogged(controlPlane, List.of("kubectl", ConfigureCoreDnsStep.KUBECTL_CONFIG, "apply",
                "-f", MANIFEST), kubernetes.commandTimeout(), context.events());
    }
}
