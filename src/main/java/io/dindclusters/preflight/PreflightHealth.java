package io.dindclusters.preflight;

import io.dindclusters.docker.DockerHosts;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * /actuator/health/preflight: each Docker host's latest preflight status, with the checks that failed or warn. UP
 * whatever they say: a host's failed check keeps some clusters off it (placement), it does not make the service
 * unhealthy, and a health request runs no check.
 */
@Component("preflight")
class PreflightHealth extends AbstractHealthIndicator {

    private final DockerHosts hosts;
    private final HostPreflight preflight;

    PreflightHealth(DockerHosts hosts, HostPreflight preflight) {
        super("preflight summary failed");
        this.hosts = hosts;
        this.preflight = preflight;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.up();
        hosts.all().forEach(host -> builder.withDetail(host.name(), preflight.latest(host.name())
                .<Object>map(PreflightHealth::summary).orElse("not checked yet")));
    }

    private static Map<String, Object> summary(PreflightReport report) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("status", report.status());
        summary.put("checkedAt", report.checkedAt().toString());
        for (PreflightCheck.Status status : new PreflightCheck.Status[] {PreflightCheck.Status.fail,
                PreflightCheck.Status.warn}) {
            var names = report.checks().stream().filter(c -> c.status() == status).map(PreflightCheck::name).toList();
            if (!names.isEmpty()) {
                summary.put(status.name(), names);
            }
        }
        return summary;
    }
}
