package io.dindclusters.pool;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Warm pools: clusters kept RUNNING ahead of demand, handed to the first create that matches.
 *
 * @param pools      each pool ({@code dind.pools[i]})
 * @param poolRefill how pools are refilled ({@code dind.pool-refill})
 */
@ConfigurationProperties("dind")
public record PoolProperties(@DefaultValue List<Pool> pools, @DefaultValue Refill poolRefill) {

    /**
     * @param name       a DNS label of at most 20 characters; its clusters are named after it
     * @param spec       what to make, in the form of a POST /clusters body (no name, no network)
     * @param size       how many clusters to keep ready or being made
     * @param maxIdleAge a ready cluster nobody claimed for this long is replaced by a fresh one
     */
    public record Pool(String name, Map<String, Object> spec, @DefaultValue("1") int size,
                       @DefaultValue("1h") Duration maxIdleAge) {
    }

    /**
     * @param concurrency clusters each pool makes at once
     * @param interval    how often each replica looks at every pool
     */
    public record Refill(@DefaultValue("2") int concurrency, @DefaultValue("2s") Duration interval) {
    }
}
