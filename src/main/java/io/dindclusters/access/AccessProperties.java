package io.dindclusters.access;

import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * API tokens, stored as SHA-256 hashes only ({@code printf %s "$TOKEN" | sha256sum}).
 *
 * @param tokens          who may call the API; none: the service listens on loopback only
 * @param protectMetrics  whether /actuator/prometheus needs a token too (health never does)
 */
@ConfigurationProperties("dind.security")
public record AccessProperties(List<Token> tokens, @DefaultValue("false") boolean protectMetrics) {

    private static final Pattern OWNER = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");
    private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");

    /**
     * One token.
     *
     * @param owner  the tenant its clusters belong to (a DNS label)
     * @param sha256 hex SHA-256 of the token
     * @param admin  whether it sees and manages every owner's clusters
     */
    public record Token(String owner, String sha256, boolean admin) {
    }

    public AccessProperties {
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.owner() == null || !OWNER.matcher(t.owner()).matches()) {
                throw new IllegalArgumentException("dind.security.tokens[" + i + "].owner must be a DNS label");
            }
            if (t.sha256() == null || !SHA256.matcher(t.sha256()).matches()) {
                throw new IllegalArgumentException("dind.security.tokens[" + i + "].sha256 must be 64 lower-case "
                        + "hex digits: the SHA-256 of the token, never the token itself");
            }
        }
    }

    byte[][] hashes() {
        return tokens.stream().map(t -> HexFormat.of().parseHex(t.sha256())).toArray(byte[][]::new);
    }
}
