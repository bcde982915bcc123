package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.support.Api;
import io.dindclusters.support.ServiceTest;
import io.dindclusters.support.TestImages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * kubernetesVersion instead of an image name, through the HTTP API, on the test table (local images:
 * src/test/resources/config/application.properties): v1.33.1, v1.33.0 and v1.30.13.
 */
@ServiceTest
class KubernetesVersionsTest {

    private static final Duration SETTLE = Duration.ofSeconds(90);

    @LocalServerPort
    int port;

    @Test
    void listsWhatCanBeAskedForNewestFirstWithTheDefaultMarked() {
        JsonNode versions = new Api(port).get("/kubernetes-versions").json();

        List<String> listed = new ArrayList<>();
        versions.forEach(v -> listed.add(v.get("version").asString() + " " + v.get("isDefault").asBoolean()));
        assertThat(listed).containsExactly("v1.33.1 true", "v1.33.0 false", "v1.30.13 false");
        assertThat(versions.get(0).get("image").asString()).isEqualTo(TestImages.NODE);
    }

    @Test
    void aMinorVersionResolvesToItsNewestPatchAndTheImageIsEchoed() {
        Api api = new Api(port);
        Api.Response created = api.post("/clusters?wait=60s",
                "{\"bootstrap\":\"none\",\"workers\":0,\"kubernetesVersion\":\"1.33\"}");

        assertThat(created.status()).as(created.body()).isEqualTo(202);
        JsonNode spec = created.json().get("spec");
        assertThat(spec.get("kubernetesVersion").asString()).isEqualTo("v1.33.1");
        assertThat(spec.get("nodeImage").asString()).isEqualTo(TestImages.NODE);
        assertThat(created.json().get("status").asString()).isEqualTo("RUNNING");
        String id = created.json().get("id").asString();
        api.delete("/clusters/" + id);
        api.awaitStatus(id, "DELETED", SETTLE);
    }

    @Test
    void anExactVersionResolvesToItsOwnImage() {
        Api api = new Api(port);
        Api.Response created = api.post("/clusters",
                "{\"bootstrap\":\"none\",\"workers\":0,\"kubernetesVersion\":\"v1.30.13\"}");

        assertThat(created.status()).as(created.body()).isEqualTo(202);
        assertThat(created.json().get("spec").get("nodeImage").asString())
                .isEqualTo("localhost/dind-clusters/debian-base:bookworm-1.30.13");
        assertThat(created.json().get("spec").get("kubernetesVersion").asString()).isEqualTo("v1.30.13");
        String id = created.json().get("id").asString();
        api.delete("/clusters/" + id);
        api.awaitStatus(id, "DELETED", SETTLE);
    }

    @Test
    void anUnknownVersionIsA400ListingWhatIsOffered() {
        Api.Response refused = new Api(port).post("/clusters", "{\"bootstrap\":\"none\",\"kubernetesVersion\":\"1.29\"}");

        assertThat(refused.status()).isEqualTo(400);
        JsonNode error = refused.json().get("errors").get(0);
        assertThat(error.get("field").asString()).isEqualTo("kubernetesVersion");
        assertThat(error.get("message").asString()).isEqualTo("is not offered here; offered: v1.33.1, v1.33.0, v1.30.13");
    }

    @Test
    void aVersionAndAnImageTogetherAreA400() {
        Api.Response refused = new Api(port).post("/clusters", "{\"bootstrap\":\"none\",\"kubernetesVersion\":\"1.33\","
                + "\"nodeImage\":\"" + TestImages.NODE + "\"}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("kubernetesVersion");
        assertThat(refused.json().get("errors").get(0).get("message").asString()).contains("not both");
    }

    @Test
    void whatIsNotAVersionIsA400() {
        for (String bad : List.of("latest", "1", "v1.33.1.2", "1.33; reboot", "1.33-rc.1")) {
            Api.Response refused = new Api(port).post("/clusters",
                    "{\"bootstrap\":\"none\",\"kubernetesVersion\":\"" + bad + "\"}");
            assertThat(refused.status()).as(bad).isEqualTo(400);
            assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("kubernetesVersion");
        }
    }
}
