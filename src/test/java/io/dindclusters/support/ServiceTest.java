package io.dindclusters.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole service on a random port, against the real Docker engine and an in-memory H2 database of its own, with
 * the offline test defaults (src/test/resources/config/application.properties). Every class with this annotation
 * shares one context. Its Docker objects carry an {@code io.dindclusters.instance} label of this test run, which
 * {@link TestDockerObjectsReaper} removes after the run whatever happened.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("docker")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // What auto finds on these machines, made explicit so the tests behave alike on a host that allows it.
        "dind.docker.node-security=capabilities",
        "dind.events.heartbeat=500ms",
        "dind.clusters.expiry-sweep-interval=1s",
        "dind.clusters.container-check-interval=1s",
        "dind.events.poll-interval=200ms"})
public @interface ServiceTest {
}
