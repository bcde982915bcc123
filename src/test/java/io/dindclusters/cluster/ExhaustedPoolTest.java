package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.support.Api;
import io.dindclusters.support.TestDocker;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A pool with one free block serves one cluster; the next request gets a 503 problem naming the pool. */
@org.junit.jupiter.api.Tag("docker")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dind.docker.instance=test-${dind.test.run}-exhaustedpool",
        "dind.network.pools.ipv4-services=10.209.128.0/24/24"})
class ExhaustedPoolTest {

    @LocalServerPort
    int port;

    @Test
    void answers503WhenAPoolHasNoFreeBlockAndStoresNothing() {
        Api api = new Api(port);
        Api.Response first = api.post("/clusters", "{\"bootstrap\":\"none\",\"workers\":0}");
        assertThat(first.status()).isEqualTo(202);
        assertThat(first.json().get("spec").get("network").get("serviceCidr").asString()).isEqualTo("10.209.128.0/24");

        Api.Response second = api.post("/clusters", "{\"bootstrap\":\"none\",\"workers\":0}");

        assertThat(second.status()).isEqualTo(503);
        assertThat(second.json().get("title").asString()).isEqualTo("Address pool exhausted");
        assertThat(second.json().get("detail").asString()).contains("network.serviceCidr").contains("10.209.128.0/24");
        assertThat(api.get("/clusters").json().get("items")).hasSize(1);

        String id = first.json().get("id").asString();
        api.awaitStatus(id, "RUNNING", Duration.ofSeconds(90));
        api.delete("/clusters/" + id);
        api.awaitStatus(id, "DELETED", Duration.ofSeconds(90));
        assertThat(TestDocker.objectsOfCluster(id)).isZero();
    }
}
