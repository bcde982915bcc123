package io.dindclusters.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;

/** Without tokens the service listens on loopback only, and refuses to start on another interface. */
class LoopbackWithoutTokensTest {

    private static final AccessProperties NO_TOKENS = new AccessProperties(List.of(), false, List.of());

    @Test
    void bindsToLoopbackWhenNoAddressIsConfigured() {
        var factory = new TomcatServletWebServerFactory();
        new LoopbackWithoutTokens(NO_TOKENS).customize(factory);
        assertThat(factory.getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void refusesToServeAnotherInterfaceWithoutTokens() throws Exception {
        var factory = new TomcatServletWebServerFactory();
        factory.setAddress(InetAddress.getByName("0.0.0.0"));
        assertThatThrownBy(() -> new LoopbackWithoutTokens(NO_TOKENS).customize(factory))
                .hasMessageContaining("no API tokens are configured");
    }

    @Test
    void leavesTheAddressAloneWhenTokensAreConfigured() throws Exception {
        var tokens = new AccessProperties(List.of(new AccessProperties.Token("team-a",
                "a70bf50e531ce1a817561f2f5d5b6645d4e806becf58ccc5e8cf6b8045a090a8", false)), false, List.of());
        var factory = new TomcatServletWebServerFactory();
        factory.setAddress(InetAddress.getByName("0.0.0.0"));
        new LoopbackWithoutTokens(tokens).customize(factory);
        assertThat(factory.getAddress().getHostAddress()).isEqualTo("0.0.0.0");
    }

    @Test
    void refusesATokenGivenInsteadOfItsHash() {
        assertThatThrownBy(() -> new AccessProperties(List.of(new AccessProperties.Token("team-a", "token-a", false)),
                false, List.of())).hasMessageContaining("never the token itself");
    }

    @Test
    void anOidcIssuerAloneAlsoOpensTheNetwork() throws Exception {
        var oidc = new AccessProperties(List.of(), false, List.of(new AccessProperties.Oidc(
                "https://token.actions.githubusercontent.com", null, "dind-clusters", "repository_owner", "gh-", null)));
        var factory = new TomcatServletWebServerFactory();
        factory.setAddress(InetAddress.getByName("0.0.0.0"));
        new LoopbackWithoutTokens(oidc).customize(factory);
        assertThat(factory.getAddress().getHostAddress()).isEqualTo("0.0.0.0");
    }
}
