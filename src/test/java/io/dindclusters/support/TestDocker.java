package io.dindclusters.support;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.dindclusters.docker.Labels;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The tests' own view of the engine, independent of the service's code, to check what really exists. */
public final class TestDocker {

    private static final DockerClient CLIENT = create();

    private TestDocker() {
    }

    public static DockerClient client() {
        return CLIENT;
    }

    private static volatile Boolean reachable;

    /** Whether the engine answers a ping (asked once per run); the Docker-free part of the suite runs without one. */
    public static boolean reachable() {
        if (reachable == null) {
            try {
                CLIENT.pingCmd().exec();
                reachable = true;
            } catch (RuntimeException e) {
                reachable = false;
            }
        }
        return reachable;
    }

    public static List<Container> containers(Map<String, String> labels) {
        return CLIENT.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec();
    }

    public static List<Network> networks(Map<String, String> labels) {
        return CLIENT.listNetworksCmd()
                .withFilter("label", labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                .exec();
    }

    /** Runs a command in a container and returns its exit code and output, within 30 seconds. */
    public static Result exec(String container, String... argv) {
        String id = CLIENT.execCreateCmd(container).withCmd(argv).withAttachStdout(true).withAttachStderr(true)
                .exec().getId();
        StringBuilder output = new StringBuilder();
        try {
            boolean done = CLIENT.execStartCmd(id).exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<
                    com.github.dockerjava.api.model.Frame>() {
                @Override
                public void onNext(com.github.dockerjava.api.model.Frame frame) {
                    synchronized (output) {
                        output.append(new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
            }).awaitCompletion(30, java.util.concurrent.TimeUnit.SECONDS);
            if (!done) {
                throw new AssertionError(String.join(" ", argv) + " did not finish within 30 s in " + container);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        synchronized (output) {
            return new Result(CLIENT.inspectExecCmd(id).exec().getExitCodeLong(), output.toString());
        }
    }

    /** Starts a command in a container and returns at once; the command must bound its own run time. */
    public static void execDetached(String container, String... argv) {
        String id = CLIENT.execCreateCmd(container).withCmd(argv).exec().getId();
        try {
            CLIENT.execStartCmd(id).withDetach(true).exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<
                    com.github.dockerjava.api.model.Frame>()).awaitCompletion(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public record Result(long exitCode, String output) {
        /** The output, failing the test when the command did not exit 0. */
        public String ok() {
            if (exitCode != 0) {
                throw new AssertionError("exit " + exitCode + ": " + output);
            }
            return output;
        }
    }

    /** Containers and networks of one cluster, by its label. */
    public static int objectsOfCluster(String clusterId) {
        Map<String, String> labels = Map.of(Labels.CLUSTER, clusterId);
        return containers(labels).size() + networks(labels).size();
    }

    /** Removes the containers and networks of one cluster, by its label. */
    public static void removeObjectsOfCluster(String clusterId) {
        Map<String, String> labels = Map.of(Labels.CLUSTER, clusterId);
        containers(labels).forEach(c -> client().removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true)
                .exec());
        networks(labels).forEach(n -> client().removeNetworkCmd(n.getId()).exec());
    }

    private static DockerClient create() {
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        var http = new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig()).connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofSeconds(60)).build();
        return DockerClientImpl.getInstance(config, http);
    }
}
