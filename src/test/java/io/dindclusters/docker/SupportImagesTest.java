package io.dindclusters.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.support.ServiceTest;
import io.dindclusters.support.TestDocker;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;

/** The service builds its DNS64 and NAT64 images from the contexts it ships, on the configured base, once. */
@ServiceTest
class SupportImagesTest {

    @Autowired
    DockerHosts hosts;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"dns64 | named -v | BIND 9", "nat64 | tayga -h | tayga"})
    void buildsTheImageOnceAndItsToolsRun(String name, String command, String expected) {
        String tag = hosts.get(DockerHosts.LOCAL).images().ensure(name);
        String id = TestDocker.client().inspectImageCmd(tag).exec().getId();

        assertThat(tag).startsWith("dind-clusters/" + name + ":");
        assertThat(hosts.get(DockerHosts.LOCAL).images().ensure(name)).isEqualTo(tag);
        assertThat(TestDocker.client().inspectImageCmd(tag).exec().getId()).isEqualTo(id);

        String container = TestDocker.client().createContainerCmd(tag).withEntrypoint("sleep").withCmd("60")
                .withLabels(java.util.Map.of(Labels.INSTANCE, io.dindclusters.support.TestRun.instance("support-images"))).exec().getId();
        try {
            TestDocker.client().startContainerCmd(container).exec();
            var result = TestDocker.exec(container, command.split(" "));
            assertThat(result.output()).contains(expected);
        } finally {
            TestDocker.client().removeContainerCmd(container).withForce(true).exec();
        }
    }

    @Test
    void refusesAnImageItHasNoContextFor() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> hosts.get(DockerHosts.LOCAL).images().ensure("no-such-image"))
                .hasMessageContaining("no build context");
        assertThat(List.of("dns64", "nat64")).allSatisfy(n ->
                assertThat(SupportImages.class.getResource("/images/" + n + "/Dockerfile")).isNotNull());
    }
}
