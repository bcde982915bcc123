package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.events.EventLog;
import io.dindclusters.support.Api;
import io.dindclusters.support.Api.SseEvent;
import io.dindclusters.support.ServiceTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A feed hands this replica's events out as they commit, on the committing threads; with several threads writing to
 * one cluster, their commits tell of them in any order. Every stream still gets every event once and in order, and
 * with no re-read of the log on a timer (a poll interval of an hour): an event told ahead of an earlier one waits
 * for it, and the gap is read from the log at once.
 */
@ServiceTest
@TestPropertySource(properties = "dind.events.poll-interval=1h")
class ConcurrentEventWritersTest {

    private static final int WRITERS = 8;
    private static final int EACH = 50;

    @LocalServerPort
    int port;
    @Autowired
    ClusterRepository repository;
    @Autowired
    ClusterLifecycle lifecycle;
    @Autowired
    EventLog events;
    @Autowired
    TransactionTemplate transaction;

    @Test
    void everyStreamGetsEveryEventOnceAndInOrder() throws Exception {
        String id = IdleCluster.insert(repository, transaction, "writers");
        Api api = new Api(port);
        List<Api.Stream> readers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            readers.add(api.openStream("/clusters/" + id + "/events"));
        }
        Awaitility.await("every reader has a heartbeat").atMost(Duration.ofSeconds(10)).until(() -> readers.stream()
                .allMatch(r -> r.events().stream().anyMatch(e -> "heartbeat".equals(e.comment()))));

        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<?>> written = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                written.add(writers.submit(() -> {
                    for (int i = 0; i < EACH; i++) {
                        events.log(id, "test", "writer " + writer + " event " + i);
                    }
                }));
            }
            for (Future<?> done : written) {
                done.get();
            }
        } finally {
            writers.shutdownNow();
        }
        assertThat(lifecycle.move(id, ClusterStatus.PROVISIONING, ClusterStatus.FAILED, "moved by the test")).isTrue();

        List<Long> all = LongStream.rangeClosed(1, WRITERS * EACH + 1).boxed().toList();
        for (Api.Stream reader : readers) {
            List<SseEvent> got = reader.awaitEnd(Duration.ofSeconds(30));
            assertThat(got.stream().filter(e -> e.id() != null).map(e -> Long.parseLong(e.id())).toList())
                    .isEqualTo(all);
        }
    }
}
