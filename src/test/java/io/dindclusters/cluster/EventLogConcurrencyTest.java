package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.events.ClusterEvent;
import io.dindclusters.events.EventLog;
import io.dindclusters.support.ServiceTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Concurrent appends to one cluster's log get distinct, gap-free numbers (as parallel node work produces them). */
@ServiceTest
class EventLogConcurrencyTest {

    @Autowired
    ClusterRepository repository;
    @Autowired
    EventLog events;

    @Test
    void concurrentAppendsGetDistinctConsecutiveIds() throws Exception {
        String id = UUID.randomUUID().toString();
        var now = ClusterLifecycle.now();
        var spec = new ClusterSpec("log-" + id.substring(0, 8), null, 0, null, Bootstrap.none, null, Map.of(), "PT1H", null, null, null);
        repository.insert(new ClusterRow(id, spec.name(), "local", "local", spec, ClusterStatus.FAILED, null, List.of(), List.of(), null, null, false, 0, now, now, null, null, null, 0, java.util.List.of()));
        int threads = 8;
        int perThread = 40;

        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> work = LongStream.range(0, threads).mapToObj(t -> pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    events.log(id, "test", "line " + i + " of thread " + t);
                }
            })).<Future<?>>map(f -> f).toList();
            for (Future<?> f : work) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        List<Long> ids = events.after(id, 0, 1000).stream().map(ClusterEvent::id).toList();
        assertThat(ids).containsExactlyElementsOf(LongStream.rangeClosed(1, threads * perThread).boxed().toList());
    }
}
