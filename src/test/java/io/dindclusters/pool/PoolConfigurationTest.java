package io.dindclusters.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dindclusters.DindClustersApplication;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * A pool the API would refuse stops the service at start-up, saying which pool, which field and which rule; a
 * spec in property form (text values, kebab-case keys) is read as the same JSON body would be.
 */
class PoolConfigurationTest {

    /** The messages of {@code e} and its causes. */
    private static List<String> messages(Throwable e) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = e; t != null && messages.size() < 20; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
        }
        return messages;
    }

    private static void start(String... pool) {
        // the start is meant to fail: its report would only fill the test output
        List<String> arguments = new ArrayList<>(List.of("--server.port=0",
                "--logging.level.org.springframework.boot.SpringApplication=OFF",
                "--logging.level.org.springframework.boot.diagnostics=OFF",
                "--logging.level.org.springframework.boot.web.server.servlet.context=ERROR"));
        for (String p : pool) {
            arguments.add("--dind.pools[0]." + p);
        }
        new SpringApplicationBuilder(DindClustersApplication.class).run(arguments.toArray(String[]::new)).close();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "name=Big_Pool                  | spec.workers=0         | dind.pools[0].name: must be a lowercase DNS label",
            "name=p                         | spec.workers=11        | dind.pools[0] (p).spec breaks the rules of a POST /clusters body: spec.workers must be from 0 to 10",
            "name=p                         | spec.colour=blue       | dind.pools[0] (p).spec is not a cluster spec as POST /clusters takes it",
            "name=p                         | spec.network.subnet=10.9.0.0/24 | dind.pools[0] (p).spec.network: cannot be set in a pool's spec",
            "name=p                         | spec.name=fixed        | dind.pools[0] (p).spec.name: cannot be set in a pool's spec",
            "name=p                         | spec.node-image=docker.io/library/debian:12 | dind.pools[0] (p).spec is refused: ",
            "name=p                         | max-idle-age=1s        | dind.pools[0] (p).max-idle-age: must be at least 5 seconds"})
    void aPoolTheApiWouldRefuseStopsTheServiceSayingWhy(String name, String setting, String message) {
        assertThatThrownBy(() -> start(name, setting))
                .satisfies(e -> assertThat(messages(e)).anyMatch(m -> m.startsWith(message)));
    }

    @Test
    void aSpecInPropertyFormIsReadAsTheSameJsonBody() {
        try (var context = new SpringApplicationBuilder(DindClustersApplication.class).run("--server.port=0",
                "--dind.pool-refill.interval=1h", "--dind.pools[0].name=p", "--dind.pools[0].size=0", "--dind.pools[0].spec.ip-mode=ipv6", "--dind.pools[0].spec.workers=1",
                        "--dind.pools[0].spec.bootstrap=none", "--dind.pools[0].spec.retain-on-failure=true",
                        "--dind.pools[0].spec.labels.team=ci")) {
            PoolDefinition pool = context.getBean(Pools.class).require("p");
            assertThat(pool.filled().ipMode()).hasToString("ipv6");
            assertThat(pool.filled().workers()).isEqualTo(1);
            assertThat(pool.filled().retainsOnFailure()).isTrue();
            assertThat(pool.filled().labels()).containsEntry("team", "ci");
            assertThat(pool.filled().network().dns64Prefix()).isEqualTo("fd00:64:ff9b::/96");
        }
    }
}
