package io.dindclusters.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole service on a random port, against the real Docker engine and an in-memory H2 database. Every class with
 * this annotation shares one context. Its Docker objects carry a unique {@code io.dindclusters.instance} label
 * starting with "test-", which {@link TestDockerObjectsReaper} removes after the run whatever happened.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:service-test;DB_CLOSE_DELAY=-1",
        "dind.docker.instance=test-${random.uuid}",
        "dind.clusters.default-node-image=" + TestImages.NODE,
        "dind.images.base=" + TestImages.NODE,
        // What auto finds on these machines, made explicit so the tests behave alike on a host that allows it.
        "dind.docker.node-security=capabilities",
        // Never a real DNS server (the network rule): DNS64 of clusters that leave it out forwards to its own
        // loopback. A private server needs a network-specific prefix (RFC 6052 section 3.1).
        "dind.network.dns64.remote-server=127.0.0.1",
        "dind.network.dns64.prefix=fd00:64:ff9b::/96",
        "dind.events.heartbeat=500ms",
        // readable test output: the service's log at WARN, no banner
        "logging.level.root=WARN", "spring.main.banner-mode=off",
        "dind.clusters.expiry-sweep-interval=1s",
        "dind.clusters.container-check-interval=1s",
        "dind.events.poll-interval=200ms"})
public @interface ServiceTest {
}
