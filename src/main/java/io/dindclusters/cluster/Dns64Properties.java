package io.dindclusters.cluster;

import io.dindclusters.network.IpMode;
import io.dindclusters.network.NetworkRules;
import io.dindclusters.network.NetworkSpec;
import io.dindclusters.network.Violation;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Defaults of an IPv6-only cluster's DNS64 settings, for specs that leave them out.
 *
 * @param prefix       the DNS64/NAT64 prefix; the well-known 64:ff9b::/96 reaches only global IPv4 addresses
 *                     (RFC 6052 section 3.1), so sites whose DNS server or targets are private set a
 *                     network-specific prefix such as fd00:10:64:ff9b::/96
 * @param remoteServer the IPv4 DNS server DNS64 forwards to
 * @param allowAaaaUse whether real AAAA records are returned as they are (false: every answer is synthesized, so
 *                     all traffic goes through NAT64)
 */
@ConfigurationProperties("dind.network.dns64")
public record Dns64Properties(
        @DefaultValue("64:ff9b::/96") String prefix,
        @DefaultValue("8.8.8.8") String remoteServer,
        @DefaultValue("false") boolean allowAaaaUse) {

    public Dns64Properties {
        // The same rules as a request's, so a bad default fails at start-up rather than on every IPv6 cluster.
        List<Violation> violations = NetworkRules.check(IpMode.ipv6,
                NetworkSpec.EMPTY.withDns64(prefix, remoteServer, allowAaaaUse));
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException("dind.network.dns64: " + violations.stream()
                    .map(v -> v.field().replace("network.", "") + " " + v.message()).toList());
        }
    }
}
