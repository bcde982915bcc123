package io.dindclusters.provision;

import io.dindclusters.cluster.ClusterSpec;
import io.dindclusters.kube.KubernetesProperties;
import io.dindclusters.network.IpLiterals;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What kind node containers get besides what every node gets, where it is not a plain container setting. */
final class KindNodes {

    /** Where the unsupported unprivileged prelude is written into a node before it starts. */
    static final String UNPRIVILEGED_ENTRYPOINT = "/dind-clusters/unprivileged-entrypoint";

    private static final String UNPRIVILEGED_ENTRYPOINT_TEXT = load("/node/unprivileged-entrypoint");

    private KindNodes() {
    }

    /** Why kubeadm is refused on a host whose nodes cannot run privileged, and what to do. */
    static String refusal(String host) {
        return "bootstrap kubeadm needs privileged node containers (systemd and kubelet in a kind node need a "
                + "writable cgroup file system, /proc/sys and /dev/kmsg), but Docker host " + host + " refuses "
                + "--privileged, so its nodes would only get the capabilities profile, in which a kind node cannot "
                + "boot. Use a Docker host that allows --privileged (dind.docker.node-security privileged or auto), "
                + "or bootstrap none";
    }

    /** The fixed prelude that remounts what --privileged would have made writable, then runs the image's command. */
    static String unprivilegedEntrypoint() {
        return UNPRIVILEGED_ENTRYPOINT_TEXT;
    }

    /**
     * The environment kind gives node containers: KUBECONFIG on control planes, and the proxy settings for image
     * pulls (with the cluster's own subnets and service domains added to NO_PROXY), only when configured.
     */
    static Map<String, String> environment(ClusterSpec spec, boolean controlPlane, KubernetesProperties kubernetes) {
        Map<String, String> env = new TreeMap<>();
        if (controlPlane) {
            env.put("KUBECONFIG", KubeadmInitStep.ADMIN_CONF);
        }
        if (blank(kubernetes.httpProxy()) && blank(kubernetes.httpsProxy())) {
            return env;
        }
        var network = spec.network();
        List<String> noProxy = new ArrayList<>();
        if (!blank(kubernetes.noProxy())) {
            noProxy.add(kubernetes.noProxy());
        }
        Stream.of(network.subnet(), network.podSubnet(), network.serviceCidr())
                .flatMap(cidrs -> IpLiterals.cidrs(cidrs).stream()).map(c -> c.toCompressedString())
                .forEach(noProxy::add);
        noProxy.addAll(List.of("localhost", "127.0.0.1", "::1", ".svc", ".svc.cluster", ".svc.cluster.local"));
        Map<String, String> proxy = new TreeMap<>();
        proxy.put("HTTP_PROXY", kubernetes.httpProxy());
        proxy.put("HTTPS_PROXY", kubernetes.httpsProxy());
        proxy.put("NO_PROXY", String.join(",", noProxy));
        proxy.forEach((name, value) -> {
            if (!blank(value)) {
                env.put(name, value);
                env.put(name.toLowerCase(java.util.Locale.ROOT), value);
            }
        });
        return env;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String load(String resource) {
        try (InputStream in = KindNodes.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
