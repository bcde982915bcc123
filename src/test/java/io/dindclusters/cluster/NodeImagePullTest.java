package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.PushResponseItem;
import io.dindclusters.docker.Labels;
import io.dindclusters.support.Api;
import io.dindclusters.support.ServiceTest;
import io.dindclusters.support.TestDocker;
import io.dindclusters.support.TestImageBuilder;
import io.dindclusters.support.TestImages;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A node image the engine lacks is pulled, with progress in the events: a real pull, from a registry the test runs
 * on a loopback port (Debian's docker-registry), holding the local base image pushed there.
 */
@ServiceTest
class NodeImagePullTest {

    private static final Duration SETTLE = Duration.ofSeconds(120);

    @LocalServerPort
    int port;

    @Test
    void pullsAMissingNodeImageAndSaysSoInTheEvents() throws Exception {
        var docker = TestDocker.client();
        String registryImage = TestImageBuilder.ensure("registry");
        String registry = docker.createContainerCmd(registryImage).withName(io.dindclusters.support.TestRun.name("registry-" + System.nanoTime()))
                .withLabels(Map.of(Labels.INSTANCE, io.dindclusters.support.TestRun.instance("registry"))).withExposedPorts(ExposedPort.tcp(5000))
                .withHostConfig(HostConfig.newHostConfig().withPortBindings(
                        new PortBinding(Ports.Binding.bindIp("127.0.0.1"), ExposedPort.tcp(5000)))).exec().getId();
        String image = null;
        String id = null;
        Api api = new Api(port);
        try {
            docker.startContainerCmd(registry).exec();
            String hostPort = docker.inspectContainerCmd(registry).exec().getNetworkSettings().getPorts().getBindings()
                    .get(ExposedPort.tcp(5000))[0].getHostPortSpec();
            String repository = "127.0.0.1:" + hostPort + "/dind-test/pulled-node";
            image = repository + ":1";
            docker.tagImageCmd(TestImages.NODE, repository, "1").exec();
            String pushed = repository;
            // until the registry listens, the push fails; each try and all of them within one bound
            Awaitility.await("the push to " + repository).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreException(com.github.dockerjava.api.exception.DockerClientException.class)
                    .ignoreException(com.github.dockerjava.api.exception.DockerException.class)
                    .until(() -> docker.pushImageCmd(pushed).withTag("1").exec(new ResultCallback.Adapter<PushResponseItem>())
                            .awaitCompletion(20, TimeUnit.SECONDS));
            docker.removeImageCmd(image).exec();

            id = api.post("/clusters", "{\"bootstrap\":\"none\",\"workers\":0,\"nodeImage\":\"" + image + "\"}")
                    .json().get("id").asString();
            api.awaitStatus(id, "RUNNING", SETTLE);

            List<String> messages = api.readStream("/clusters/" + id + "/events", SETTLE).stream()
                    .filter(e -> "log".equals(e.event())).map(e -> e.json().get("message").asString()).toList();
            assertThat(messages).contains("node image " + image + " is not on the engine; pulling it", "pulled " + image);
            assertThat(docker.inspectImageCmd(image).exec().getId())
                    .isEqualTo(docker.inspectImageCmd(TestImages.NODE).exec().getId());
        } finally {
            if (id != null) {
                api.delete("/clusters/" + id);
                api.awaitStatus(id, "DELETED", SETTLE);
            }
            docker.removeContainerCmd(registry).withForce(true).withRemoveVolumes(true).exec();
            if (image != null) {
                try {
                    docker.removeImageCmd(image).exec();
                } catch (NotFoundException e) {
                    // not pulled
                }
            }
        }
    }
}
