package io.dindclusters.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The Helm chart under helm/, linted and rendered offline by Helm itself (helm-java) for several value sets. */
class HelmChartTest {

    private static final Path CHART = Path.of("helm/dind-clusters");
    private static final String HASH = "a70bf50e531ce1a817561f2f5d5b6645d4e806becf58ccc5e8cf6b8045a090a8";

    private static TemplateCommand template() {
        return new Helm(CHART).template().withName("ci");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents(String manifest) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml().loadAll(manifest)) {
            if (document != null) {
                documents.add((Map<String, Object>) document);
            }
        }
        return documents;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> kind(List<Map<String, Object>> documents, String kind) {
        return documents.stream().filter(d -> kind.equals(d.get("kind"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> container(List<Map<String, Object>> documents) {
        var spec = (Map<String, Object>) ((Map<String, Object>) kind(documents, "Deployment").get("spec")).get("template");
        var podSpec = (Map<String, Object>) spec.get("spec");
        return ((List<Map<String, Object>>) podSpec.get("containers")).get(0);
    }

    @Test
    void lintsCleanly() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    @SuppressWarnings("unchecked")
    void rendersOneReplicaOnTheNodesEngineWithH2OnAVolume() {
        var documents = documents(template().set("tokens[0].owner", "payments").set("tokens[0].sha256", HASH).call());

        assertThat(documents).extracting(d -> d.get("kind")).contains("Deployment", "Service", "ServiceAccount",
                "Secret", "PersistentVolumeClaim").doesNotContain("ServiceMonitor");
        documents.forEach(d -> assertThat((Map<String, Object>) ((Map<String, Object>) d.get("metadata")).get("labels"))
                .containsKeys("app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version",
                        "app.kubernetes.io/managed-by"));
        var podSpec = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) kind(documents, "Deployment")
                .get("spec")).get("template")).get("spec");
        assertThat(podSpec.get("hostNetwork")).isEqualTo(true);
        var container = container(documents);
        assertThat((List<String>) container.get("args")).contains("--server.address=0.0.0.0");
        assertThat(((Map<String, Object>) ((Map<String, Object>) container.get("livenessProbe")).get("httpGet")).get("path"))
                .isEqualTo("/actuator/health/liveness");
        assertThat(((Map<String, Object>) ((Map<String, Object>) container.get("readinessProbe")).get("httpGet")).get("path"))
                .isEqualTo("/actuator/health/readiness");
        var secret = (Map<String, Object>) kind(documents, "Secret").get("stringData");
        assertThat(secret).containsEntry("DIND_SECURITY_TOKENS_0_OWNER", "payments")
                .containsEntry("DIND_SECURITY_TOKENS_0_SHA256", HASH);
    }

    @Test
    @SuppressWarnings("unchecked")
    void rendersReplicasOnPostgresAgainstARemoteEngineWithAServiceMonitor() {
        var documents = documents(template().set("replicaCount", 3)
                .set("database.url", "jdbc:postgresql://postgres:5432/dind").set("database.password", "s3cret")
                .set("docker.host", "tcp://docker.internal:2376").set("docker.tlsSecret", "docker-tls")
                .set("kubernetes.apiServerAddress", "0.0.0.0").set("kubernetes.kubeconfigHost", "docker.internal")
                .set("tokens[0].owner", "ops").set("tokens[0].sha256", HASH).set("tokens[0].admin", true)
                .set("serviceMonitor.enabled", true).call());

        assertThat(((Map<String, Object>) kind(documents, "Deployment").get("spec")).get("replicas")).isEqualTo(3);
        assertThat(documents).extracting(d -> d.get("kind")).contains("ServiceMonitor").doesNotContain("PersistentVolumeClaim");
        var env = (List<Map<String, Object>>) container(documents).get("env");
        assertThat(env).extracting(e -> e.get("name")).contains("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_PASSWORD",
                "DIND_DOCKER_HOST", "DOCKER_CERT_PATH", "DIND_KUBERNETES_KUBECONFIG_HOST");
        assertThat(env.toString()).doesNotContain("s3cret");
        assertThat(((Map<String, Object>) kind(documents, "Secret").get("stringData"))).containsEntry("database-password", "s3cret");
    }

    @Test
    @SuppressWarnings("unchecked")
    void rendersSeveralDockerHostsWithTheirCertificatesAndLimits() {
        var documents = documents(template()
                .set("docker.hosts[0].name", "docker-1").set("docker.hosts[0].url", "tcp://docker-1.internal:2376")
                .set("docker.hosts[0].tlsSecret", "docker-1-tls").set("docker.hosts[0].maxClusters", 20)
                .set("docker.hosts[0].apiServerAddress", "0.0.0.0")
                .set("docker.hosts[0].apiServerAddressIpv6", "::")
                .set("docker.hosts[0].kubeconfigHost", "docker-1.internal")
                .set("docker.hosts[1].name", "docker-2").set("docker.hosts[1].url", "tcp://docker-2.internal:2376")
                .set("docker.hosts[1].maxNodes", 30)
                .set("tokens[0].owner", "ops").set("tokens[0].sha256", HASH).call());

        var podSpec = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) kind(documents, "Deployment")
                .get("spec")).get("template")).get("spec");
        assertThat(podSpec).doesNotContainKey("hostNetwork");
        Map<String, Object> env = new java.util.TreeMap<>();
        ((List<Map<String, Object>>) container(documents).get("env")).forEach(e -> env.put((String) e.get("name"), e.get("value")));
        assertThat(env).containsEntry("DIND_DOCKER_HOSTS_0_NAME", "docker-1")
                .containsEntry("DIND_DOCKER_HOSTS_0_URL", "tcp://docker-1.internal:2376")
                .containsEntry("DIND_DOCKER_HOSTS_0_CERT_PATH", "/etc/docker-hosts/docker-1")
                .containsEntry("DIND_DOCKER_HOSTS_0_MAX_CLUSTERS", "20")
                .containsEntry("DIND_DOCKER_HOSTS_0_API_SERVER_ADDRESS", "0.0.0.0")
                .containsEntry("DIND_DOCKER_HOSTS_0_API_SERVER_ADDRESS_IPV6", "::")
                .containsEntry("DIND_DOCKER_HOSTS_0_KUBECONFIG_HOST", "docker-1.internal")
                .containsEntry("DIND_DOCKER_HOSTS_1_NAME", "docker-2")
                .containsEntry("DIND_DOCKER_HOSTS_1_MAX_NODES", "30")
                .doesNotContainKeys("DIND_DOCKER_HOSTS_1_CERT_PATH", "DIND_DOCKER_HOSTS_1_MAX_CLUSTERS", "DIND_DOCKER_HOST");
        assertThat((List<Map<String, Object>>) podSpec.get("volumes")).extracting(v -> v.get("name"))
                .contains("docker-host-docker-1").doesNotContain("docker-socket", "docker-host-docker-2");
    }

    @Test
    void refusesADockerHostWithoutAUrlAndBothKindsOfEngineSettings() {
        assertThatThrownBy(() -> template().set("docker.hosts[0].name", "docker-1").call())
                .hasMessageContaining("docker.hosts[0] needs a name and a url");
        assertThatThrownBy(() -> template().set("docker.host", "tcp://a:2376").set("docker.hosts[0].name", "b")
                .set("docker.hosts[0].url", "tcp://b:2376").call())
                .hasMessageContaining("not both");
    }

    @Test
    @SuppressWarnings("unchecked")
    void givesADrainingReplicaItsDrainTimeoutAndAGracePeriodThatCoversIt() {
        for (int drain : new int[] {60, 300}) {
            var template = template().set("tokens[0].owner", "ops").set("tokens[0].sha256", HASH);
            var documents = documents((drain == 60 ? template : template.set("drain.timeoutSeconds", drain)).call());
            var podSpec = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) kind(documents,
                    "Deployment").get("spec")).get("template")).get("spec");
            Map<String, Object> env = new java.util.TreeMap<>();
            ((List<Map<String, Object>>) container(documents).get("env")).forEach(e -> env.put((String) e.get("name"), e.get("value")));
            // the service's own default when the chart's is used, so both say the same
            assertThat(env).containsEntry("DIND_REPLICA_DRAINTIMEOUT", drain + "s");
            if (drain == 60) {
                assertThat(io.dindclusters.support.RecordDefaults.of(io.dindclusters.provision.ReplicaProperties.class,
                        "drainTimeout")).isEqualTo(drain + "s");
            }
            // the drain, its hand-back (at most 30 s) and the web server's shutdown (at most 30 s) fit in the grace
            assertThat(((Number) podSpec.get("terminationGracePeriodSeconds")).intValue()).isEqualTo(drain + 60);
        }
        for (String bad : new String[] {"0", "-5", "1.5", "ten"}) {
            assertThatThrownBy(() -> template().set("tokens[0].owner", "ops").set("tokens[0].sha256", HASH)
                    .set("drain.timeoutSeconds", bad).call()).as(bad)
                    .hasMessageContaining("drain.timeoutSeconds must be a whole number of seconds");
        }
    }

    @Test
    void refusesSeveralReplicasWithoutPostgres() {
        assertThatThrownBy(() -> template().set("replicaCount", 2).call())
                .hasMessageContaining("replicaCount > 1 needs PostgreSQL");
    }

    @Test
    void refusesAnOpenApiServerAddressWithoutAHostNameForKubeconfigs() {
        assertThatThrownBy(() -> template().set("kubernetes.apiServerAddress", "0.0.0.0").call())
                .hasMessageContaining("needs kubernetes.kubeconfigHost");
    }
}
