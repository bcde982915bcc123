package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.events.EventLog;
import io.dindclusters.support.Api;
import io.dindclusters.support.Api.SseEvent;
import io.dindclusters.support.ServiceTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One feed per watched cluster hands live events to all its streams: several readers get every event once and in
 * order, while a client that stops reading falls behind and is cut off alone, told to reconnect, and resumes with
 * Last-Event-ID without a gap. A small dind.events.max-behind (100), and events written in chunks of 50 that every
 * reader has before the next: a reader is never more than a chunk behind, so only the stalled client can be cut. A
 * reader that joins late gets the same events as the others: the feed serves the newest from memory (fewer than were
 * written, these messages being long) and the log the older ones.
 */
@ServiceTest
@TestPropertySource(properties = "dind.events.max-behind=100")
class EventFanOutTest {

    private static final int EVENTS = 1000;
    private static final int CHUNK = 50;
    /** Near EventLog's longest message: a thousand of them are far more than the stalled client's socket holds. */
    private static final String BULK = "x".repeat(7900);

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
    void readersGetEveryEventInOrderWhileAStalledOneIsCutOffAloneAndResumes() throws Exception {
        String id = IdleCluster.insert(repository, transaction, "fan");
        Api api = new Api(port);
        List<Api.Stream> readers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            readers.add(api.openStream("/clusters/" + id + "/events"));
        }
        try (Socket stalled = new Socket()) {
            // A tiny receive window that the kernel does not grow: the client stops reading, the server's writes
            // back up, and the feed keeps handing it events it cannot take.
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            stalled.setSoTimeout(60_000);
            OutputStream out = stalled.getOutputStream();
            out.write(("GET /clusters/" + id + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Awaitility.await("every reader has a heartbeat").atMost(Duration.ofSeconds(10)).until(() -> readers.stream()
                    .allMatch(r -> r.events().stream().anyMatch(e -> "heartbeat".equals(e.comment()))));

            for (int chunk = 0; chunk < EVENTS / CHUNK; chunk++) {
                for (int i = 1; i <= CHUNK; i++) {
                    events.log(id, "test", (chunk * CHUNK + i) + " " + BULK);
                }
                long written = (long) (chunk + 1) * CHUNK;
                if (chunk == 1) {
                    // joins the live feed: the newest events from the feed's memory, older ones from the log
                    readers.add(api.openStream("/clusters/" + id + "/events"));
                }
                Awaitility.await("every reader has " + written).atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> readers.stream().allMatch(r -> lastId(r.events()) >= written));
            }
            assertThat(lifecycle.move(id, ClusterStatus.PROVISIONING, ClusterStatus.FAILED, "moved by the test")).isTrue();

            List<Long> all = LongStream.rangeClosed(1, EVENTS + 1).boxed().toList();
            for (Api.Stream reader : readers) {
                List<SseEvent> got = reader.awaitEnd(Duration.ofSeconds(60));
                assertThat(got.stream().filter(e -> e.comment() != null && e.comment().contains("fell behind")))
                        .as("a reader that kept up was cut off").isEmpty();
                assertThat(ids(got)).isEqualTo(all);
            }

            // Now the stalled client reads what it was sent: a part, then the cut.
            List<SseEvent> stalledGot = new ArrayList<>();
            CompletableFuture.runAsync(() -> {
                try {
                    var reader = new BufferedReader(new InputStreamReader(stalled.getInputStream(), StandardCharsets.UTF_8));
                    for (String line = reader.readLine(); line != null && !line.isEmpty(); line = reader.readLine()) {
                        // the status line and headers
                    }
                    Api.parse(reader, stalledGot::add);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(60, TimeUnit.SECONDS);
            assertThat(stalledGot.stream().map(SseEvent::comment)).as("the stalled client's comments")
                    .contains("this stream fell behind: reconnect with Last-Event-ID to resume");
            assertThat(stalledGot.stream().map(SseEvent::retry)).as("its retry").contains(1000L);
            List<Long> part = ids(stalledGot);
            assertThat(part).as("cut off before the end").hasSizeLessThan(all.size()).isEqualTo(all.subList(0, part.size()));

            String metrics = api.get("/actuator/prometheus").body();
            assertThat(io.dindclusters.support.Prometheus.sample(metrics, "dind_event_stream_cutoffs_total",
                    "reason", "behind")).as("the stalled client, and no reader").isEqualTo(1.0);

            List<SseEvent> rest = api.readStream("/clusters/" + id + "/events", Duration.ofSeconds(60),
                    "Last-Event-ID", Long.toString(part.isEmpty() ? 0 : part.get(part.size() - 1)));
            List<Long> joined = new ArrayList<>(part);
            joined.addAll(ids(rest));
            assertThat(joined).isEqualTo(all);

            // every stream has ended: the cluster's feed, read once for them all, ends with its last subscriber
            Awaitility.await("no event feed left").atMost(Duration.ofSeconds(10)).until(() ->
                    io.dindclusters.support.Prometheus.sample(api.get("/actuator/prometheus").body(),
                            "dind_event_feeds") == 0.0);
        }
    }

    private static long lastId(List<SseEvent> events) {
        List<Long> ids = ids(events);
        return ids.isEmpty() ? 0 : ids.get(ids.size() - 1);
    }

    /** The ids of the data events, in the order they came. */
    private static List<Long> ids(List<SseEvent> events) {
        return events.stream().filter(e -> e.id() != null).map(e -> Long.parseLong(e.id())).toList();
    }
}
