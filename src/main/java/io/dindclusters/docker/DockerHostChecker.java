package io.dindclusters.docker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Pings every Docker host now and then, so placement skips hosts that went away and clusters on them say so; a
 * host that answers again is announced, so what leaked there meanwhile can be removed.
 */
@Component
public class DockerHostChecker {

    private static final Logger log = LoggerFactory.getLogger(DockerHostChecker.class);

    private final DockerHosts hosts;
    private final ApplicationEventPublisher publisher;

    DockerHostChecker(DockerHosts hosts, ApplicationEventPublisher publisher) {
        this.hosts = hosts;
        this.publisher = publisher;
    }

    @Scheduled(fixedDelayString = "${dind.docker.host-check-interval:10s}")
    void checkAll() {
        // At once: one host that hangs until its connect timeout must not delay the news about the others.
        hosts.all().parallelStream().forEach(this::check);
    }

    /**
     * Checks one host now; a change is logged and, when it answers again, announced.
     *
     * @return whether the host answered
     */
    public boolean check(DockerHost host) {
        if (!host.check()) {
            return host.reachability().reachable();
        }
        DockerHost.Reachability now = host.reachability();
        if (now.reachable()) {
            log.info("Docker host {} answers again", host);
            publisher.publishEvent(new DockerHostReturned(host.name()));
        } else {
            log.warn("Docker host {} cannot be reached: {}", host, now.problem());
        }
        return now.reachable();
    }
}
