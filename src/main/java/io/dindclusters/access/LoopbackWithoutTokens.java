package io.dindclusters.access;

import java.net.InetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Without API tokens anyone who reaches the port could create and delete clusters, so the service then listens on
 * loopback only, and says so; asking for another interface without tokens stops the start.
 */
@Component
class LoopbackWithoutTokens implements WebServerFactoryCustomizer<ConfigurableWebServerFactory> {

    private static final Logger log = LoggerFactory.getLogger(LoopbackWithoutTokens.class);

    private final AccessProperties properties;

    LoopbackWithoutTokens(AccessProperties properties) {
        this.properties = properties;
    }

    @Override
    public void customize(ConfigurableWebServerFactory factory) {
        if (!properties.open()) {
            log.info("API tokens configured for {} owner(s) and {} OIDC issuer(s); the cluster API needs "
                    + "Authorization: Bearer", properties.tokens().stream().map(AccessProperties.Token::owner)
                    .distinct().count(), properties.oidc().size());
            return;
        }
        InetAddress address = factory instanceof org.springframework.boot.web.server.AbstractConfigurableWebServerFactory s
                ? s.getAddress() : null;
        if (address != null && !address.isLoopbackAddress()) {
            throw new IllegalStateException("server.address " + address.getHostAddress() + " is not loopback, but no "
                    + "API tokens are configured (dind.security.tokens, dind.security.oidc): refusing to serve the cluster API to the network");
        }
        if (address == null) {
            factory.setAddress(InetAddress.getLoopbackAddress());
        }
        log.warn("no API tokens configured (dind.security.tokens): listening on loopback only, every caller is admin");
    }
}
