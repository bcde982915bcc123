package io.dindclusters.pool;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.springframework.stereotype.Component;

/**
 * Prometheus view of the pools: dind_pool_size, dind_pool_ready and dind_pool_being_made (as the latest refill look
 * saw them, the same on every replica) and dind_pool_hits_total / dind_pool_misses_total (this replica's creates).
 */
@Component
public class PoolMeters {

    private final MeterRegistry registry;
    private final Pools pools;

    PoolMeters(MeterRegistry registry, Pools pools) {
        this.registry = registry;
        this.pools = pools;
        for (PoolDefinition pool : pools.all()) {
            hits(pool.name());
            misses(pool.name());
        }
    }

    void watch(Supplier<List<PoolStatus>> seen) {
        for (PoolDefinition pool : pools.all()) {
            gauge("dind.pool.size", "Clusters a warm pool keeps ready or being made", pool.name(), seen,
                    PoolStatus::size);
            gauge("dind.pool.ready", "Ready clusters waiting in a warm pool", pool.name(), seen, PoolStatus::ready);
            gauge("dind.pool.being.made", "Clusters being made for a warm pool", pool.name(), seen,
                    PoolStatus::beingMade);
        }
    }

    private void gauge(String name, String description, String pool, Supplier<List<PoolStatus>> seen,
                       ToDoubleFunction<PoolStatus> value) {
        Gauge.builder(name, () -> seen.get().stream().filter(s -> s.name().equals(pool)).mapToDouble(value)
                        .findFirst().orElse(Double.NaN))
                .description(description).tag("pool", pool).register(registry);
    }

    /** A create this replica served from {@code pool}, or that {@code pool} could have served but was empty. */
    public void counted(String pool, boolean hit) {
        (hit ? hits(pool) : misses(pool)).increment();
    }

    private Counter hits(String pool) {
        return Counter.builder("dind.pool.hits").description("Creates served with a ready cluster of a warm pool")
                .tag("pool", pool).register(registry);
    }

    private Counter misses(String pool) {
        return Counter.builder("dind.pool.misses")
                .description("Creates a warm pool matched while it had no ready cluster (made on demand)")
                .tag("pool", pool).register(registry);
    }
}
