package io.dindclusters.preflight;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Judges a host's facts the way the prior art's troubleshooting and kind's known issues do. Pure, so every path is
 * tested with made-up facts; {@link HostProbe} gathers the real ones.
 */
final class PreflightRules {

    /** Check names, also the gauge's check label. */
    static final String PRIVILEGED = "privileged";
    static final String CGROUP = "cgroup";
    static final String STORAGE = "storage";
    static final String IPV6 = "ipv6";
    static final String IPV6_FORWARDING = "ipv6-forwarding";
    static final String IP6TABLES = "ip6tables";
    static final String TUN = "tun";
    static final String MODULES = "kernel-modules";
    static final String CONNTRACK = "conntrack";
    static final String SWAP = "swap";
    static final String INOTIFY = "inotify";
    static final String DISK = "disk";
    static final String VERSIONS = "versions";

    /** kind's known issues: what several clusters on one host need. */
    static final long INOTIFY_WATCHES = 524288;
    static final long INOTIFY_INSTANCES = 512;
    static final long DISK_WARN_BYTES = 20L << 30;
    static final long DISK_FAIL_BYTES = 4L << 30;
    static final List<String> MODULE_NAMES = List.of("tun", "ip6_tables", "ip6table_nat", "nf_nat", "xt_MASQUERADE",
            "overlay");
    private static final Set<String> NEED_DEVICE_MAPPER = Set.of("btrfs", "zfs", "devicemapper");

    private PreflightRules() {
    }

    static List<PreflightCheck> checks(HostFacts facts) {
        List<PreflightCheck> checks = new ArrayList<>();
        var engine = facts.engine();
        checks.add(facts.privilegedAllowed()
                ? PreflightCheck.ok(PRIVILEGED, "the engine runs --privileged containers")
                : PreflightCheck.fail(PRIVILEGED, "the engine refuses --privileged containers: kubeadm clusters of "
                + "real kind images cannot run (bootstrap none can, under the capabilities profile)",
                "allow privileged containers on this engine (no authorization plugin or rootless mode refusing them)"));
        String cgroup = "cgroup v" + engine.cgroupVersion() + ", driver " + engine.cgroupDriver();
        checks.add("1".equals(engine.cgroupVersion())
                ? PreflightCheck.warn(CGROUP, cgroup + ": Kubernetes deprecated cgroup v1 in 1.31 and its kubelet "
                + "refuses it by default from 1.35", "boot the host with cgroup v2 (systemd.unified_cgroup_hierarchy=1)")
                : PreflightCheck.ok(CGROUP, cgroup));
        String storage = "storage driver " + engine.storageDriver() + (engine.backingFilesystem().isEmpty() ? ""
                : " on " + engine.backingFilesystem());
        checks.add(NEED_DEVICE_MAPPER.contains(engine.storageDriver())
                || NEED_DEVICE_MAPPER.contains(engine.backingFilesystem())
                ? PreflightCheck.warn(STORAGE, storage + ": kubelet finds its root file system through /dev/mapper, "
                + "which the service binds into the nodes on such hosts", "overlay2 on ext4 or xfs avoids it")
                : PreflightCheck.ok(STORAGE, storage));
        String disabled = facts.value("ipv6_disabled");
        checks.add("0".equals(disabled)
                ? PreflightCheck.ok(IPV6, "net.ipv6.conf.all.disable_ipv6 = 0")
                : PreflightCheck.fail(IPV6, "net.ipv6.conf.all.disable_ipv6 = " + disabled + ": IPv6 and dual-stack "
                + "clusters cannot work", "sysctl -w net.ipv6.conf.all.disable_ipv6=0"));
        String forwarding = facts.value("ipv6_forwarding");
        checks.add("1".equals(forwarding)
                ? PreflightCheck.ok(IPV6_FORWARDING, "net.ipv6.conf.all.forwarding = 1")
                : PreflightCheck.warn(IPV6_FORWARDING, "net.ipv6.conf.all.forwarding = " + forwarding + ": IPv6 "
                + "traffic is not routed between the engine's networks and beyond", "sysctl -w net.ipv6.conf.all.forwarding=1"));
        checks.add(facts.yes("ip6_nat_table")
                ? PreflightCheck.ok(IP6TABLES, "an ip6tables nat table is in use: the engine writes IPv6 rules")
                : PreflightCheck.warn(IP6TABLES, "no ip6tables nat table: the engine may not make IPv6 networks "
                + "with ip6tables (published IPv6 ports and IPv6 masquerading then fail)",
                "set \"ip6tables\": true (and \"experimental\": true before Docker 27) in daemon.json, restart dockerd"));
        checks.add(facts.yes("tun")
                ? PreflightCheck.ok(TUN, "/dev/net/tun is there")
                : PreflightCheck.fail(TUN, "no /dev/net/tun: NAT64 (Tayga) cannot run, so IPv6-only clusters cannot "
                + "reach IPv4 hosts", "modprobe tun"));
        // a module in use shows by what it provides, even when built in (no /sys/module entry then)
        List<String> missing = MODULE_NAMES.stream().filter(m -> !facts.yes("module_" + m))
                .filter(m -> !(m.equals("tun") && facts.yes("tun")))
                .filter(m -> !(m.startsWith("ip6table") || m.equals("ip6_tables")) || !facts.yes("ip6_nat_table"))
                .toList();
        checks.add(missing.isEmpty()
                ? PreflightCheck.ok(MODULES, "loaded or built in: " + String.join(", ", MODULE_NAMES))
                : PreflightCheck.warn(MODULES, "not loaded: " + String.join(", ", missing) + " (they may be built into "
                + "the kernel without showing; NAT64, kube-proxy and the engine's IPv6 rules need them)",
                "modprobe " + String.join(" ", missing)));
        long conntrack = facts.number("conntrack_max");
        long wanted = Math.max(131072, 32768L * Math.max(1, engine.cpus()));
        String seen = "nf_conntrack_max = " + (conntrack < 0 ? "unreadable" : conntrack) + "; kube-proxy's defaults "
                + "would want " + wanted + " on " + engine.cpus() + " CPUs";
        checks.add(conntrack >= wanted
                ? PreflightCheck.ok(CONNTRACK, seen)
                : PreflightCheck.ok(CONNTRACK, seen + ": this service's kube-proxy (conntrack.maxPerCore: 0) does not "
                + "write it; kube-proxy with its defaults (other tools) would try to raise it and its hashsize from "
                + "inside the node and die on the read-only /sys"));
        long swap = facts.number("swap_kb");
        checks.add(swap <= 0
                ? PreflightCheck.ok(SWAP, swap < 0 ? "swap unreadable" : "no swap")
                : PreflightCheck.warn(SWAP, swap + " kB of swap: kind nodes run kubelet with failSwapOn false, and "
                + "memory limits of pods are not what they say", "swapoff -a"));
        long watches = facts.number("inotify_watches");
        long instances = facts.number("inotify_instances");
        String inotify = "fs.inotify.max_user_watches = " + watches + ", max_user_instances = " + instances;
        checks.add(watches >= INOTIFY_WATCHES && instances >= INOTIFY_INSTANCES
                ? PreflightCheck.ok(INOTIFY, inotify)
                : PreflightCheck.warn(INOTIFY, inotify + ": several clusters on this host run out ('too many open "
                + "files' from kubelet and pods)", "sysctl -w fs.inotify.max_user_watches=" + INOTIFY_WATCHES
                + " fs.inotify.max_user_instances=" + INOTIFY_INSTANCES));
        long free = facts.number("docker_free_kb") * 1024;
        String disk = free < 0 ? "free space under " + engine.rootDir() + " unreadable"
                : (free >> 20) + " MB free under " + engine.rootDir();
        checks.add(free < 0 ? PreflightCheck.warn(DISK, disk, null)
                : free < DISK_FAIL_BYTES ? PreflightCheck.fail(DISK, disk + ": node images and containers will not fit",
                "docker system prune, or more space for " + engine.rootDir())
                : free < DISK_WARN_BYTES ? PreflightCheck.warn(DISK, disk + ": a few clusters fill it",
                "docker system prune, or more space for " + engine.rootDir())
                : PreflightCheck.ok(DISK, disk));
        String versions = "kernel " + engine.kernelVersion() + ", Docker " + engine.serverVersion() + " on "
                + engine.operatingSystem();
        checks.add(major(engine.serverVersion()) < 20
                ? PreflightCheck.warn(VERSIONS, versions + ": engines before 20.10 write IPv6 rules badly",
                "a Docker engine of 20.10 or later")
                : PreflightCheck.ok(VERSIONS, versions));
        return checks;
    }

    private static int major(String version) {
        try {
            return Integer.parseInt(version.split("[.+-]")[0]);
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
