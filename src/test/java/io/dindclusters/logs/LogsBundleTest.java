package io.dindclusters.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.support.Api;
import io.dindclusters.support.KubeadmServiceTest;
import io.dindclusters.support.OutsideWorld;
import io.dindclusters.support.TestDocker;
import io.dindclusters.support.TestImageBuilder;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

/**
 * GET /clusters/{id}/logs through the HTTP API, on the real engine with kubeadm nodes of the kind-node double: the
 * bundle unpacks, holds the cluster, its events and each node's parts with secrets redacted, and says in its README
 * what it could not collect (the double has no journal); a cluster that fails has its container parts captured
 * before its teardown, served after it, and forgotten once it is deleted; one with retainOnFailure keeps its
 * containers until it is deleted.
 */
@KubeadmServiceTest
class LogsBundleTest {

    private static final Duration SETTLE = Duration.ofSeconds(120);
    private static final Pattern BOOTSTRAP_TOKEN = Pattern.compile("[a-z0-9]{6}\\.[a-z0-9]{16}");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static String image;

    @LocalServerPort
    int port;

    @BeforeAll
    static void nodeImageWithDoubles() {
        image = TestImageBuilder.ensure("kind-node-double");
        OutsideWorld.get();
    }

    @Test
    void aRunningClustersBundleHoldsItsPartsWithSecretsRedactedAndSaysWhatIsMissing() throws Exception {
        Api api = new Api(port);
        String name = "logs-" + UUID.randomUUID().toString().substring(0, 6);
        String id = create(api, name, "");
        api.awaitStatus(id, "RUNNING", SETTLE);
        String node = name + "-control-plane";
        Matcher written = BOOTSTRAP_TOKEN.matcher(TestDocker.exec(node, "cat", "/kind/kubeadm.conf").output());
        assertThat(written.find()).as("the kubeadm configuration the service wrote has its token").isTrue();
        String token = written.group();

        HttpResponse<byte[]> response = fetch(name);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/gzip");
        assertThat(response.headers().firstValue("Content-Disposition").orElseThrow())
                .contains("attachment").contains(name + "-logs.tar.gz");
        Map<String, String> files = unpack(response.body());

        assertThat(files).containsKeys("README.txt", "cluster.json", "events.jsonl",
                "containers/" + node + "/inspect.json", "containers/" + node + "/log.txt",
                "containers/" + node + "/kubeadm.conf", "containers/" + node + "/kind-version.txt");
        assertThat(JSON.readTree(files.get("cluster.json")).get("id").asString()).isEqualTo(id);
        String[] events = files.get("events.jsonl").split("\n");
        assertThat(JSON.readTree(events[0]).get("id").asLong()).isEqualTo(1);
        assertThat(files.get("events.jsonl")).contains("\"status\":\"RUNNING\"");
        assertThat(JSON.readTree(files.get("containers/" + node + "/inspect.json")).get("Name").asString())
                .isEqualTo("/" + node);
        assertThat(files.get("containers/" + node + "/kind-version.txt")).startsWith("v1.");
        assertThat(files.get("containers/" + node + "/kubeadm.conf")).contains("token: REDACTED")
                .contains("kind: InitConfiguration");
        files.forEach((path, text) -> assertThat(text).as(path).doesNotContain(token));

        String readme = files.get("README.txt");
        assertThat(readme).contains(name).contains(id).contains("RUNNING")
                .contains("cluster.json (").contains("containers/" + node + "/log.txt (");
        // the double runs no journald: said, with why, not left out silently
        assertThat(readme.substring(readme.indexOf("Not collected:")))
                .contains("containers/" + node + "/journal-kubelet.txt: journalctl");
        api.delete("/clusters/" + id);
        api.awaitStatus(id, "DELETED", SETTLE);
    }

    @Test
    void aFailedClustersContainerPartsAreCapturedBeforeTheTeardownAndForgottenWithIt() throws Exception {
        Api api = new Api(port);
        String name = "fail-init-" + UUID.randomUUID().toString().substring(0, 6);
        String id = create(api, name, "");
        api.awaitStatus(id, "FAILED", SETTLE);
        assertThat(TestDocker.objectsOfCluster(id)).as("torn down").isZero();

        Map<String, String> files = unpack(fetch(id).body());
        String node = name + "-control-plane";
        assertThat(files).containsKeys("containers/CAPTURED.txt", "containers/" + node + "/inspect.json",
                "containers/" + node + "/log.txt", "containers/" + node + "/kubeadm.conf");
        assertThat(files.get("README.txt")).contains("FAILED").contains("captured at");
        assertThat(files.get("events.jsonl")).contains("captured the logs of its 1 containers");
        files.forEach((path, text) -> assertThat(BOOTSTRAP_TOKEN.matcher(text).find()).as(path).isFalse());

        api.delete("/clusters/" + id);
        api.awaitStatus(id, "DELETED", SETTLE);
        Map<String, String> after = unpack(fetch(id).body());
        assertThat(after).doesNotContainKey("containers/CAPTURED.txt");
        assertThat(after.get("README.txt")).contains("containers/: the cluster has no containers (DELETED), and "
                + "nothing was captured of them");
    }

    @Test
    void retainOnFailureKeepsAFailedClustersContainersUntilItIsDeleted() throws Exception {
        Api api = new Api(port);
        Api.Response refused = api.post("/clusters", "{\"workers\":0,\"retainOnFailure\":\"yes\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("retainOnFailure");

        String name = "fail-init-" + UUID.randomUUID().toString().substring(0, 6);
        String id = create(api, name, ",\"retainOnFailure\":true");
        var failed = api.awaitStatus(id, "FAILED", SETTLE);
        assertThat(failed.get("spec").get("retainOnFailure").asBoolean()).isTrue();
        assertThat(failed.get("statusReason").asString()).contains("step kubeadm-init failed")
                .contains("its containers are kept (retainOnFailure)");
        String node = name + "-control-plane";
        assertThat(TestDocker.exec(node, "cat", "/kind/version").output()).as("the node is still there").startsWith("v1.");

        Map<String, String> files = unpack(fetch(id).body());
        assertThat(files).containsKeys("containers/" + node + "/inspect.json", "containers/" + node + "/kubeadm.conf")
                .doesNotContainKey("containers/CAPTURED.txt");
        assertThat(files.get("README.txt")).contains("from its containers as they are now");

        api.delete("/clusters/" + id);
        api.awaitStatus(id, "DELETED", SETTLE);
        assertThat(TestDocker.objectsOfCluster(id)).as("removed with the cluster").isZero();
    }

    @Test
    void anUnknownClusterIs404() throws Exception {
        assertThat(fetch("no-such-cluster").statusCode()).isEqualTo(404);
    }

    /** A single-node kubeadm cluster of the double with this name (fail-init-...: kubeadm init fails). */
    private static String create(Api api, String name, String moreSpec) {
        Api.Response created = api.post("/clusters", "{\"name\":\"" + name + "\",\"workers\":0,\"nodeImage\":\""
                + image + "\"" + moreSpec + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        return created.json().get("id").asString();
    }

    private HttpResponse<byte[]> fetch(String idOrName) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/clusters/" + idOrName + "/logs"))
                .timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Every file of the gzipped tar, by path, as text. */
    private static Map<String, String> unpack(byte[] bundle) throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        try (var tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(bundle)))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (entry.isFile()) {
                    files.put(entry.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return files;
    }
}
