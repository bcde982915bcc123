package io.dindclusters.provision;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import io.dindclusters.cluster.Bootstrap;
import io.dindclusters.cluster.ClusterSpec;
import io.dindclusters.cluster.Node;
import io.dindclusters.docker.Labels;
import io.dindclusters.support.TestDocker;
import io.dindclusters.support.TestImages;
import io.dindclusters.support.TestRun;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The node steps' files and commands run as one script in a real container: every word and every file arrives as it
 * was written (quotes, spaces, $, backquotes and printf's own escapes are not interpreted), the steps run in order,
 * and the first failure stops the rest and names its step.
 */
@Tag("docker")
class NodeSetupTest {

    private static final ClusterSpec SPEC = new ClusterSpec("c1", null, 0, null, Bootstrap.none, null, Map.of(),
            "PT1H", null, null, null);
    private static final Node NODE = new Node("c1-control-plane", Node.CONTROL_PLANE, "10.0.0.2", null, List.of());
    private static String container;

    @BeforeAll
    static void container() {
        DockerClient docker = TestDocker.client();
        container = docker.createContainerCmd(TestImages.NODE).withCmd("sleep", "300")
                .withLabels(Map.of(Labels.INSTANCE, TestRun.instance("node-setup"))).exec().getId();
        docker.startContainerCmd(container).exec();
    }

    @AfterAll
    static void remove() {
        TestDocker.client().removeContainerCmd(container).withForce(true).exec();
    }

    private static NodeStep step(String name, List<List<String>> commands) {
        return step(name, Map.of(), commands);
    }

    private static NodeStep step(String name, Map<String, String> files, List<List<String>> commands) {
        return new NodeStep() {
            public String name() {
                return name;
            }

            public boolean appliesTo(ClusterSpec spec) {
                return true;
            }

            public Map<String, String> files(ClusterSpec spec, Node node, List<Node> nodes) {
                return files;
            }

            public List<List<String>> commands(ClusterSpec spec, Node node, List<Node> nodes) {
                return commands;
            }

            public String summary(ClusterSpec spec, Node node, List<Node> nodes) {
                return "";
            }
        };
    }

    private static TestDocker.Result run(NodeStep... steps) {
        NodeSetup setup = new NodeSetup(List.of(steps), SPEC, List.of(NODE));
        assertThat(setup.needed(NODE)).isTrue();
        return TestDocker.exec(container, "sh", "-c", setup.script(NODE));
    }

    @Test
    void everyWordArrivesAsWrittenAndTheStepsRunInOrder() {
        TestDocker.Result result = run(
                step("first", List.of(List.of("printf", "%s\\n", "it's", "$HOME", "`id`", "a  b", "\\\\n", ";", "|"))),
                step("second", List.of(List.of("echo", "two"))));
        assertThat(result.exitCode()).isZero();
        assertThat(NodeSetup.withoutMarks(result.output()).lines().toList())
                .containsExactly("it's", "$HOME", "`id`", "a  b", "\\\\n", ";", "|", "two");
    }

    @Test
    void theFirstFailureStopsTheRestAndNamesItsStep() {
        TestDocker.Result result = run(step("first", List.of(List.of("true"))),
                step("second", List.of(List.of("ls", "/no/such/path"), List.of("echo", "after"))),
                step("third", List.of(List.of("echo", "third"))));
        assertThat(result.exitCode()).isNotZero();
        assertThat(NodeSetup.failedStep(result.output())).isEqualTo("second");
        assertThat(NodeSetup.withoutMarks(result.output())).contains("/no/such/path").doesNotContain("after")
                .doesNotContain("third");
    }

    @Test
    void filesArriveByteForByteInNewFoldersBeforeTheirStepsCommands() {
        String tricky = "line 'one' $HOME `id` \\n %s %%\n\n\tend without newline";
        TestDocker.Result result = run(step("files",
                Map.of("/tmp/node-setup-test/a/b/c.conf", tricky, "/tmp/node-setup-test/empty", ""),
                List.of(List.of("cat", "/tmp/node-setup-test/a/b/c.conf"),
                        List.of("stat", "-c", "%a %s", "/tmp/node-setup-test/a/b/c.conf",
                                "/tmp/node-setup-test/empty"))));
        assertThat(result.exitCode()).isZero();
        assertThat(NodeSetup.withoutMarks(result.output()))
                .isEqualTo((tricky + "644 " + tricky.length() + "\n644 0").strip());
    }

    @Test
    void aNodeWithNothingToWriteOrRunIsLeftAlone() {
        assertThat(new NodeSetup(List.of(step("none", List.of())), SPEC, List.of(NODE)).needed(NODE)).isFalse();
        assertThat(new NodeSetup(List.of(step("file", Map.of("/etc/x", "x"), List.of())), SPEC, List.of(NODE))
                .needed(NODE)).isTrue();
    }
}
