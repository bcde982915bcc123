package io.dindclusters.preflight;

import io.dindclusters.docker.DockerHost;
import io.dindclusters.docker.DockerHosts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Runs the preflight checks of a Docker host ({@link HostProbe}, then {@link PreflightRules}) and keeps each host's
 * latest report: for GET /docker-hosts/{name}/preflight, and as the gauge dind_docker_host_preflight{host,check}
 * (0 ok, 1 warn, 2 fail). Every host is checked once the service is up, and a host again when it answers after
 * being unreachable, in the background (dind.preflight.at-start, default true).
 */
@Component
public class HostPreflight {

    private static final Logger log = LoggerFactory.getLogger(HostPreflight.class);
    static final String PROBE = "probe";

    private final HostProbe probe;
    private final DockerHosts hosts;
    private final MeterRegistry meters;
    private final Map<String, PreflightReport> latest = new ConcurrentHashMap<>();
    private final Map<String, Boolean> gauges = new ConcurrentHashMap<>();

    private final boolean atStart;

    HostPreflight(HostProbe probe, DockerHosts hosts, MeterRegistry meters,
                  @org.springframework.beans.factory.annotation.Value("${dind.preflight.at-start:true}") boolean atStart) {
        this.atStart = atStart;
        this.probe = probe;
        this.hosts = hosts;
        this.meters = meters;
    }

    @EventListener(ApplicationReadyEvent.class)
    void checkEveryHostInTheBackground() {
        checkInTheBackground(hosts.all());
    }

    /** A host that could not be reached (so was not checked, or may have changed) answers again. */
    @EventListener
    void onHostReturned(io.dindclusters.docker.DockerHostReturned event) {
        hosts.find(event.host()).ifPresent(host -> checkInTheBackground(List.of(host)));
    }

    private void checkInTheBackground(List<DockerHost> which) {
        if (!atStart) {
            return;
        }
        Thread thread = new Thread(() -> which.forEach(host -> {
            try {
                PreflightReport report = run(host);
                if (report.status() != PreflightCheck.Status.ok) {
                    log.warn("Docker host {}: preflight {}: {}", host.name(), report.status(), report.checks().stream()
                            .filter(c -> c.status() != PreflightCheck.Status.ok)
                            .map(c -> c.name() + " (" + c.seen() + ")").toList());
                }
            } catch (RuntimeException e) {
                log.warn("Docker host {}: preflight checks could not run: {}", host.name(), e.getMessage());
            }
        }), "preflight");
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs the checks now; the report is also kept as the host's latest. */
    public PreflightReport run(DockerHost host) {
        HostProbe.Probed probed = probe.probe(host);
        List<PreflightCheck> checks = new ArrayList<>();
        checks.add(probed.probeProblem() == null
                ? PreflightCheck.ok(PROBE, "the probe container ran and was removed")
                : PreflightCheck.fail(PROBE, "the probe container could not tell the host's settings: "
                + probed.probeProblem(), null));
        checks.addAll(PreflightRules.checks(probed.facts()));
        PreflightReport report = PreflightReport.of(host.name(), Instant.now().truncatedTo(ChronoUnit.MILLIS), checks);
        latest.put(host.name(), report);
        checks.forEach(check -> gauges.computeIfAbsent(host.name() + "/" + check.name(), key -> {
            Gauge.builder("dind.docker.host.preflight", () -> level(host.name(), check.name()))
                    .description("A Docker host's preflight check as last run: 0 ok, 1 warn, 2 fail")
                    .tag("host", host.name()).tag("check", check.name()).register(meters);
            return true;
        }));
        return report;
    }

    /**
     * The failed check of the host's latest report that would surely break a cluster of this address mode: IPv6
     * disabled (ipv6, dual), no /dev/net/tun for NAT64 (ipv6), no disk (any). Privileged nodes are judged by node
     * security already. Empty when none failed or the host was not checked yet.
     */
    public Optional<PreflightCheck> blocking(String host, io.dindclusters.network.IpMode ipMode) {
        List<String> breaking = switch (ipMode) {
            case ipv4 -> List.of(PreflightRules.DISK);
            case dual -> List.of(PreflightRules.IPV6, PreflightRules.DISK);
            case ipv6 -> List.of(PreflightRules.IPV6, PreflightRules.TUN, PreflightRules.DISK);
        };
        return latest(host).flatMap(report -> report.checks().stream()
                .filter(c -> c.status() == PreflightCheck.Status.fail && breaking.contains(c.name())).findFirst());
    }

    /** The warnings of the host's latest report, for the events of a cluster placed on it. */
    public List<PreflightCheck> warnings(String host) {
        return latest(host).map(report -> report.checks().stream()
                .filter(c -> c.status() == PreflightCheck.Status.warn).toList()).orElse(List.of());
    }

    public Optional<PreflightReport> latest(String host) {
        return Optional.ofNullable(latest.get(host));
    }

    private double level(String host, String check) {
        return latest(host).flatMap(r -> r.checks().stream().filter(c -> c.name().equals(check)).findFirst())
                .map(c -> (double) c.status().ordinal()).orElse(Double.NaN);
    }
}
