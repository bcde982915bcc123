package io.dindclusters.preflight;

import io.dindclusters.docker.DockerEngine;
import io.dindclusters.docker.DockerHost;
import io.dindclusters.docker.DockerProperties;
import io.dindclusters.docker.ImageProperties;
import io.dindclusters.docker.Labels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Gathers a host's facts without changing it: what the engine says of itself, whether it starts a privileged
 * container, and what a short-lived container on the host's network namespace reads (sysctls, /dev/net/tun, kernel
 * modules, swap, free space where the engine keeps its data), with read-only binds and removed at once. Both probe
 * containers carry the service's instance label.
 */
@Component
class HostProbe {

    static final String ROLE = "preflight";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Fixed text, nothing from a request or a user in it; prints key=value lines that {@link HostFacts} reads. */
    static final String SCRIPT = """
            r() { cat "$1" 2>/dev/null || echo missing; }
            echo "ipv6_disabled=$(r /proc/sys/net/ipv6/conf/all/disable_ipv6)"
            echo "ipv6_forwarding=$(r /proc/sys/net/ipv6/conf/all/forwarding)"
            echo "conntrack_max=$(r /proc/sys/net/netfilter/nf_conntrack_max)"
            echo "inotify_watches=$(r /proc/sys/fs/inotify/max_user_watches)"
            echo "inotify_instances=$(r /proc/sys/fs/inotify/max_user_instances)"
            if [ -c /host/dev/net/tun ]; then echo tun=yes; else echo tun=no; fi
            for m in tun ip6_tables ip6table_nat nf_nat xt_MASQUERADE overlay; do
              if grep -q "^$m " /proc/modules 2>/dev/null || [ -d "/sys/module/$m" ]; then echo "module_$m=yes"; \
            else echo "module_$m=no"; fi
            done
            if grep -qx nat /proc/net/ip6_tables_names 2>/dev/null; then echo ip6_nat_table=yes; \
            else echo ip6_nat_table=no; fi
            echo "swap_kb=$(awk 'NR > 1 { s += $3 } END { print s + 0 }' /proc/swaps 2>/dev/null)"
            df -Pk /host/docker 2>/dev/null | awk 'NR == 2 { print "docker_free_kb=" $4 }'
            """;

    private final String image;
    private final String instance;

    HostProbe(ImageProperties images, DockerProperties docker) {
        this.image = images.base();
        this.instance = docker.instance();
    }

    /** The facts, or why the probe container could not tell them (the engine's own answers are still in). */
    record Probed(HostFacts facts, String probeProblem) {
    }

    Probed probe(DockerHost host) {
        DockerEngine engine = host.engine();
        DockerEngine.EngineInfo info = engine.info();
        Map<String, String> labels = Map.of(Labels.INSTANCE, instance, Labels.ROLE, ROLE);
        if (!engine.imageExists(image)) {
            return new Probed(new HostFacts(info, false, Map.of()), "the probe image " + image + " is not on this "
                    + "host (dind.images.base; the support images are built on it too)");
        }
        boolean privileged = engine.allowsPrivileged(image, labels);
        try {
            String root = info.rootDir().isEmpty() ? "/var/lib/docker" : info.rootDir();
            String output = engine.probe(image, List.of("sh", "-c", SCRIPT),
                    Map.of("/dev", "/host/dev", root, "/host/docker"), labels, TIMEOUT);
            return new Probed(new HostFacts(info, privileged, HostFacts.parse(output)), null);
        } catch (RuntimeException e) {
            return new Probed(new HostFacts(info, privileged, Map.of()), e.getMessage());
        }
    }
}
