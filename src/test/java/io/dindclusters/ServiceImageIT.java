package io.dindclusters;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import io.dindclusters.docker.Labels;
import io.dindclusters.support.Api;
import io.dindclusters.support.TestDocker;
import io.dindclusters.support.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The repository's Dockerfile builds an image of the service FROM a JRE image made from Debian packages
 * (scripts/ensure-jre-image), and that image, run as docker-compose.yml runs it (host network, the engine's socket,
 * a data volume), serves the API and creates a cluster on the host's engine. Runs after package: it needs the jar.
 */
@org.junit.jupiter.api.Tag("docker")
class ServiceImageIT {

    static final String JRE_IMAGE = "localhost/dind-clusters/jre:17";

    @TempDir
    Path context;

    @Test
    void theImageBuildsRunsAndProvisionsOnTheHostsEngine() throws Exception {
        var docker = TestDocker.client();
        assertThat(imageExists(JRE_IMAGE)).as(JRE_IMAGE + " (scripts/ensure-jre-image; scripts/test builds it)").isTrue();
        Path jar;
        try (var jars = Files.list(Path.of("target"))) {
            jar = jars.filter(p -> p.getFileName().toString().matches("dind-clusters-.*\\.jar")).findFirst().orElseThrow();
        }
        Files.createDirectories(context.resolve("target"));
        Files.copy(jar, context.resolve("target").resolve(jar.getFileName()));
        Files.copy(Path.of("Dockerfile"), context.resolve("Dockerfile"));
        Files.createDirectories(context.resolve("src/main/jvm"));
        for (String file : new String[] {"jvm.options", "train"}) {
            Files.copy(Path.of("src/main/jvm", file), context.resolve("src/main/jvm").resolve(file));
        }
        String tag = "localhost/dind-clusters/test-service:" + UUID.randomUUID().toString().substring(0, 8);
        docker.buildImageCmd(context.resolve("Dockerfile").toFile()).withTags(Set.of(tag)).withPull(false)
                .withBuildArg("BASE_IMAGE", JRE_IMAGE).exec(new BuildImageResultCallback())
                .awaitImageId(300, TimeUnit.SECONDS);

        String instance = io.dindclusters.support.TestRun.instance("image-" + UUID.randomUUID());
        String container = docker.createContainerCmd(tag)
                .withLabels(Map.of(Labels.INSTANCE, instance))
                // the class data sharing archive made at build time must map, or the JVM refuses to start
                .withEnv("JAVA_TOOL_OPTIONS=-Xshare:on",
                        // JAVA_OPTS reaches the JVM after the image's options: the instance label comes through
                        // it, and C2 comes back with the archive still mapped
                        "JAVA_OPTS=-Ddind.docker.instance=" + instance + " -XX:TieredStopAtLevel=4")
                .withCmd("--server.port=0",
                        // the test class path's offline defaults are not in the image: the same, given here
                        "--dind.clusters.default-node-image=" + TestImages.NODE, "--dind.images.base=" + TestImages.NODE,
                        "--dind.network.dns64.remote-server=127.0.0.1", "--dind.network.dns64.prefix=fd00:64:ff9b::/96",
                        // this run's slot of the address pools, as every service of the run has (TestRun): another
                        // run on the same engine would otherwise get overlapping networks
                        pool("ipv4-nodes"), pool("ipv6-nodes"), pool("ipv4-support"))
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("host")
                        .withBinds(new Bind("/var/run/docker.sock", new Volume("/var/run/docker.sock"))))
                .exec().getId();
        String id = null;
        try {
            docker.startContainerCmd(container).exec();
            // It binds a port of its own choosing (on the host's network) and says which in its log.
            int port = Awaitility.await("the port in the log of " + container).atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500)).until(() -> startedOnPort(docker, container), p -> p > 0);
            Api api = new Api(port);
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> api.get("/actuator/health/liveness").status() == 200);
            Api.Response created = api.post("/clusters?wait=120s", "{\"bootstrap\":\"none\",\"workers\":1}");
            assertThat(created.json().get("status").asString()).as(created.body()).isEqualTo("RUNNING");
            id = created.json().get("id").asString();
            assertThat(TestDocker.objectsOfCluster(id)).isEqualTo(3);
            assertThat(TestDocker.containers(Map.of(Labels.CLUSTER, id, Labels.INSTANCE, instance))).hasSize(2);
            api.delete("/clusters/" + id);
            assertThat(api.get("/clusters/" + id + "?wait=60s").json().get("status").asString()).isEqualTo("DELETED");
            assertThat(TestDocker.objectsOfCluster(id)).isZero();
        } finally {
            docker.removeContainerCmd(container).withForce(true).withRemoveVolumes(true).exec();
            docker.removeImageCmd(tag).withForce(true).exec();
            if (id != null) { // a failure above leaves them, and they may lack this run's instance label
                TestDocker.removeObjectsOfCluster(id);
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeRunsThatImageWithTheSocketAVolumeAndAHealthCheck() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
        var service = (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get("dind-clusters");
        assertThat(service.get("network_mode")).isEqualTo("host");
        assertThat((Iterable<String>) service.get("volumes"))
                .contains("/var/run/docker.sock:/var/run/docker.sock", "dind-clusters-data:/app/data");
        assertThat(((Map<String, Object>) service.get("healthcheck")).get("test").toString())
                .contains("/actuator/health/liveness");
        assertThat(((Map<String, Object>) compose.get("volumes"))).containsKey("dind-clusters-data");
        // the drain (60 s), its hand-back (30 s) and the web server's shutdown (30 s) before Docker kills it
        assertThat(service.get("stop_grace_period")).isEqualTo("120s");
        assertThat(Files.readString(Path.of("Dockerfile"))).contains("ARG BASE_IMAGE").contains("VOLUME /app/data");
    }

    private static String pool(String name) {
        String property = "dind.network.pools." + name;
        return "--" + property + "=" + java.util.Objects.requireNonNull(System.getProperty(property), property);
    }

    private static boolean imageExists(String image) {
        try {
            TestDocker.client().inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** The port in "Tomcat started on port N" of the container's log so far, or 0; fails when it exited. */
    private static int startedOnPort(com.github.dockerjava.api.DockerClient docker, String container) throws Exception {
        if (!Boolean.TRUE.equals(docker.inspectContainerCmd(container).exec().getState().getRunning())) {
            throw new AssertionError("the service container exited");
        }
        StringBuilder log = new StringBuilder();
        docker.logContainerCmd(container).withStdOut(true).withStdErr(true)
                .exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<com.github.dockerjava.api.model.Frame>() {
                    @Override
                    public void onNext(com.github.dockerjava.api.model.Frame frame) {
                        log.append(new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
                    }
                }).awaitCompletion(10, TimeUnit.SECONDS);
        var port = java.util.regex.Pattern.compile("started on port (\\d+)").matcher(log);
        return port.find() ? Integer.parseInt(port.group(1)) : 0;
    }
}
