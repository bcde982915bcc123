package io.dindclusters.provision;

import io.dindclusters.kube.CniConfig;
import io.dindclusters.network.IpLiterals;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The pod network ({@link CniConfig}), on every node at once: first a check that every plugin the configuration
 * names is in the node's /opt/cni/bin and executable (a configuration naming a missing plugin still loads, the node
 * goes Ready, and every pod sandbox fails), then the masquerading rules, then the configuration, whose MTU is the
 * node's interface's. The routes between the prefixes are already in place (route-pod-prefixes).
 */
@Component
class InstallCniStep implements KubeadmProvisioningStep {

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
        List<String> podSubnets = IpLiterals.cidrs(context.spec().network().podSubnet()).stream()
                .map(c -> c.toCompressedString()).toList();
        context.forEachConcurrently(context.nodes(), node -> {
            String found = context.commands().output(node.name(), List.of("find", "-L", CniConfig.PLUGIN_DIRECTORY,
                    "-maxdepth", "1", "-type", "f", "-perm", "-u=x", "-printf", "%f\\n"));
            List<String> present = found.lines().map(String::strip).filter(p -> !p.isEmpty()).sorted().toList();
            List<String> missing = CniConfig.PLUGINS.stream().filter(p -> !present.contains(p)).toList();
            if (!missing.isEmpty()) {
                throw new StepFailedException("on " + node.name() + ", the CNI plugin" + (missing.size() == 1 ? " "
                        : "s ") + String.join(", ", missing) + " " + (missing.size() == 1 ? "is" : "are")
                        + " not in " + CniConfig.PLUGIN_DIRECTORY + " or not executable (found: "
                        + (present.isEmpty() ? "none" : String.join(", ", present)) + "); the pod network needs "
                        + String.join(", ", CniConfig.PLUGINS) + ", which every kindest/node image ships");
            }
            int mtu = mtu(context.commands().output(node.name(), List.of("cat", "/sys/class/net/eth0/mtu")));
            Map<String, String> rules = CniConfig.masqueradeRules(node, podSubnets);
            context.engine().copyFiles(node.name(), rules);
            for (String file : rules.keySet()) {
                context.commands().run(node.name(), List.of(file.equals(CniConfig.MASQUERADE_IPV4)
                        ? "iptables-restore" : "ip6tables-restore", "--noflush", file));
            }
            context.engine().copyFiles(node.name(), Map.of(CniConfig.PATH, CniConfig.render(node, mtu)));
            context.events().log(node.name() + ": ptp CNI over " + String.join(", ", node.podPrefixes()) + " (MTU "
                    + mtu + "); pod traffic masqueraded only when it leaves " + String.join(", ", podSubnets));
            return node;
        });
    }

    private static int mtu(String text) throws StepFailedException {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new StepFailedException("the node's eth0 has no readable MTU: " + text.strip());
        }
    }
}
