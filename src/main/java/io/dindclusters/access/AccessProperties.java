package io.dindclusters.access;

import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call the API: static tokens, stored as SHA-256 hashes only ({@code printf %s "$TOKEN" | sha256sum}), and
 * OIDC JSON web tokens of CI systems (GitHub Actions, GitLab CI) from the issuers listed.
 *
 * @param tokens          static tokens; with no tokens and no issuers the service listens on loopback only
 * @param protectMetrics  whether /actuator/prometheus needs a token too (health never does)
 * @param oidc            issuers whose signed tokens are accepted
 */
@ConfigurationProperties("dind.security")
public record AccessProperties(List<Token> tokens, @DefaultValue("false") boolean protectMetrics, List<Oidc> oidc) {

    /**
     * One OIDC issuer.
     *
     * @param issuer           the {@code iss} its tokens carry (and where its keys are discovered without jwksUri)
     * @param jwksUri          where its signing keys are; unset: from the issuer's OpenID configuration
     * @param audience         the {@code aud} a token must carry for this service (GitHub: the job's audience input)
     * @param ownerClaim       the claim whose value becomes the owner ({@code repository_owner}, {@code namespace_path})
     * @param ownerPrefix      put before the claim's value, so that two issuers' owners never meet (e.g. {@code gh-})
     * @param adminClaimValues owner claim values that make the caller an admin
     */
    public record Oidc(String issuer, String jwksUri, String audience, String ownerClaim, String ownerPrefix,
                       List<String> adminClaimValues) {
        public Oidc {
            ownerPrefix = ownerPrefix == null ? "" : ownerPrefix;
            adminClaimValues = adminClaimValues == null ? List.of() : List.copyOf(adminClaimValues);
        }
    }

    /** Whether nothing is configured: every caller is the local admin, on loopback only. */
    public boolean open() {
        return tokens.isEmpty() && oidc.isEmpty();
    }

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
        oidc = oidc == null ? List.of() : List.copyOf(oidc);
        for (int i = 0; i < oidc.size(); i++) {
            Oidc o = oidc.get(i);
            if (o.issuer() == null || o.issuer().isBlank() || o.audience() == null || o.audience().isBlank()
                    || o.ownerClaim() == null || o.ownerClaim().isBlank()) {
                throw new IllegalArgumentException("dind.security.oidc[" + i + "] needs issuer, audience and "
                        + "owner-claim");
            }
        }
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
