package io.dindclusters.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.docker.DockerEngine;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Every check's ok, warn and fail paths, from made-up facts: one fact off a healthy host at a time. */
class PreflightRulesTest {

    private static final DockerEngine.EngineInfo ENGINE = new DockerEngine.EngineInfo("27.3.1", "6.1.0-28-amd64",
            "Debian GNU/Linux 12", "2", "systemd", "overlay2", "extfs", "/var/lib/docker", 4, 16L << 30);
    /** What the probe prints on a host that needs nothing. */
    private static final String HEALTHY = """
            ipv6_disabled=0
            ipv6_forwarding=1
            conntrack_max=262144
            inotify_watches=524288
            inotify_instances=512
            tun=yes
            module_tun=yes
            module_ip6_tables=yes
            module_ip6table_nat=yes
            module_nf_nat=yes
            module_xt_MASQUERADE=yes
            module_overlay=yes
            ip6_nat_table=yes
            swap_kb=0
            docker_free_kb=104857600
            """;

    private static Map<String, PreflightCheck> checks(DockerEngine.EngineInfo engine, boolean privileged,
                                                      Consumer<Map<String, String>> change) {
        Map<String, String> probe = new HashMap<>(HostFacts.parse(HEALTHY));
        change.accept(probe);
        Map<String, PreflightCheck> byName = new HashMap<>();
        PreflightRules.checks(new HostFacts(engine, privileged, probe)).forEach(c -> byName.put(c.name(), c));
        return byName;
    }

    private static PreflightCheck one(String name, Consumer<Map<String, String>> change) {
        return checks(ENGINE, true, change).get(name);
    }

    @Test
    void aHealthyHostPassesEveryCheck() {
        Map<String, PreflightCheck> all = checks(ENGINE, true, p -> { });
        assertThat(all).hasSize(13);
        assertThat(all.values()).allSatisfy(c -> assertThat(c.status()).as(c.name() + ": " + c.seen())
                .isEqualTo(PreflightCheck.Status.ok));
    }

    @Test
    void whatBreaksClustersFails() {
        assertThat(checks(ENGINE, false, p -> { }).get("privileged").status()).isEqualTo(PreflightCheck.Status.fail);
        PreflightCheck ipv6 = one("ipv6", p -> p.put("ipv6_disabled", "1"));
        assertThat(ipv6.status()).isEqualTo(PreflightCheck.Status.fail);
        assertThat(ipv6.fix()).isEqualTo("sysctl -w net.ipv6.conf.all.disable_ipv6=0");
        assertThat(one("ipv6", p -> p.remove("ipv6_disabled")).seen()).contains("missing");
        PreflightCheck tun = one("tun", p -> p.put("tun", "no"));
        assertThat(tun.status()).isEqualTo(PreflightCheck.Status.fail);
        assertThat(tun.fix()).isEqualTo("modprobe tun");
        assertThat(one("disk", p -> p.put("docker_free_kb", Long.toString(1L << 20))).status())
                .isEqualTo(PreflightCheck.Status.fail);
    }

    @Test
    void whatClustersSurviveWarns() {
        assertThat(one("ipv6-forwarding", p -> p.put("ipv6_forwarding", "0")).status()).isEqualTo(PreflightCheck.Status.warn);
        assertThat(one("ip6tables", p -> p.put("ip6_nat_table", "no")).fix()).contains("\"ip6tables\": true");
        PreflightCheck modules = one("kernel-modules", p -> {
            p.put("module_nf_nat", "no");
            p.put("module_xt_MASQUERADE", "no");
        });
        assertThat(modules.status()).isEqualTo(PreflightCheck.Status.warn);
        assertThat(modules.fix()).isEqualTo("modprobe nf_nat xt_MASQUERADE");
        // built in, not listed, but in use: the ip6tables nat table and /dev/net/tun show them
        assertThat(one("kernel-modules", p -> {
            p.put("module_ip6table_nat", "no");
            p.put("module_tun", "no");
        }).status()).isEqualTo(PreflightCheck.Status.ok);
        assertThat(one("kernel-modules", p -> {
            p.put("module_ip6table_nat", "no");
            p.put("ip6_nat_table", "no");
        }).fix()).isEqualTo("modprobe ip6table_nat");
        assertThat(one("swap", p -> p.put("swap_kb", "2097148")).status()).isEqualTo(PreflightCheck.Status.warn);
        PreflightCheck inotify = one("inotify", p -> p.put("inotify_instances", "128"));
        assertThat(inotify.status()).isEqualTo(PreflightCheck.Status.warn);
        assertThat(inotify.fix()).contains("fs.inotify.max_user_instances=512");
        assertThat(one("disk", p -> p.put("docker_free_kb", Long.toString(10L << 20))).status())
                .isEqualTo(PreflightCheck.Status.warn);
        var v1 = new DockerEngine.EngineInfo("20.10.24", "5.10.0", "Debian", "1", "cgroupfs", "btrfs", "btrfs",
                "/var/lib/docker", 2, 8L << 30);
        Map<String, PreflightCheck> old = checks(v1, true, p -> { });
        assertThat(old.get("cgroup").status()).isEqualTo(PreflightCheck.Status.warn);
        assertThat(old.get("storage").status()).isEqualTo(PreflightCheck.Status.warn);
        assertThat(old.get("storage").seen()).contains("/dev/mapper");
        var ancient = new DockerEngine.EngineInfo("19.03.15", "4.19.0", "Debian", "1", "cgroupfs", "overlay2", "extfs",
                "/var/lib/docker", 2, 8L << 30);
        assertThat(checks(ancient, true, p -> { }).get("versions").status()).isEqualTo(PreflightCheck.Status.warn);
    }

    @Test
    void aLowConntrackLimitIsSaidButBreaksNothingHere() {
        PreflightCheck conntrack = one("conntrack", p -> p.put("conntrack_max", "65536"));
        assertThat(conntrack.status()).isEqualTo(PreflightCheck.Status.ok);
        assertThat(conntrack.seen()).contains("would want 131072 on 4 CPUs").contains("maxPerCore: 0")
                .contains("other tools");
    }
}
