package io.dindclusters.cluster;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Defaults and limits for clusters.
 *
 * @param defaultNodeImage         node image of clusters whose spec names none
 * @param maxPageSize              largest {@code limit} of GET /clusters
 * @param defaultTtl               lifetime of clusters whose spec names no {@code ttl}
 * @param maxTtl                   longest {@code ttl} a spec or an extension may ask for
 * @param expirySweepInterval      how often expired clusters are looked for (they are torn down within this)
 * @param maxWait                  longest {@code ?wait=} a request may ask for
 * @param idempotencyKeyRetention  how long an Idempotency-Key is remembered
 * @param allowedNodeImages        patterns of the node images a request may name or default to ({@link NodeImagePolicy});
 *                                 empty: the repository of {@code defaultNodeImage}, any tag. Node containers run
 *                                 privileged: widening this grants root on the Docker hosts to every token holder
 */
@ConfigurationProperties("dind.clusters")
public record ClusterProperties(
        @DefaultValue("kindest/node:v1.33.1@sha256:050072256b9a903bd914c0b2866828150cb229cea0efe5892e2b644d5dd3b34f")
        String defaultNodeImage,
        @DefaultValue("100") int maxPageSize,
        @DefaultValue("8h") Duration defaultTtl,
        @DefaultValue("72h") Duration maxTtl,
        @DefaultValue("15s") Duration expirySweepInterval,
        @DefaultValue("30m") Duration maxWait,
        @DefaultValue("24h") Duration idempotencyKeyRetention,
        @DefaultValue java.util.List<String> allowedNodeImages) {

    public ClusterProperties {
        if (defaultTtl.compareTo(maxTtl) > 0 || defaultTtl.compareTo(ClusterTtl.MIN) < 0) {
            throw new IllegalArgumentException("dind.clusters.default-ttl must lie between "
                    + ClusterTtl.MIN.toMinutes() + " minute and dind.clusters.max-ttl");
        }
    }
}
