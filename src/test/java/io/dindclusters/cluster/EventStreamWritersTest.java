package io.dindclusters.cluster;

import static io.dindclusters.cluster.EventStreamLimitTest.awaitOpenStreams;
import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.events.EventLog;
import io.dindclusters.support.Api;
import io.dindclusters.support.Prometheus;
import io.dindclusters.support.ServiceTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An open event stream holds no thread: a few writers shared by all write them without blocking. A client that takes
 * nothing at all does not hold its stream (and its slot of dind.events.max-streams) for ever: the container's write
 * timeout, the connector's connection timeout (2 s here), closes it, as it did a blocked write.
 */
@ServiceTest
@TestPropertySource(properties = "server.tomcat.connection-timeout=2s")
class EventStreamWritersTest {

    private static final int STREAMS = 50;

    @LocalServerPort
    int port;
    @Autowired
    ClusterRepository repository;
    @Autowired
    EventLog events;
    @Autowired
    TransactionTemplate transaction;

    @Test
    void fiftyOpenStreamsHoldNoThreadEach() throws Exception {
        String id = IdleCluster.insert(repository, transaction, "threads");
        Api api = new Api(port);
        awaitOpenStreams(api, 0);
        // other cached contexts of the test run have writers of their own: what opening the streams adds counts
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        long writersBefore = writerThreads();
        List<Socket> streams = new ArrayList<>();
        try {
            for (int i = 0; i < STREAMS; i++) {
                streams.add(openRaw(id, 0));
            }
            awaitOpenStreams(api, STREAMS);
            events.log(id, "test", "to all");
            for (Socket stream : streams) {
                assertThat(readUntil(stream, "to all")).as("every stream is written").isTrue();
            }
            int grown = ManagementFactory.getThreadMXBean().getThreadCount() - threadsBefore;
            assertThat(writerThreads() - writersBefore).as("writer threads started for the streams")
                    .isLessThanOrEqualTo(Math.max(2, Runtime.getRuntime().availableProcessors()) + 1);
            assertThat(grown).as("threads started while %d streams opened", STREAMS).isLessThan(STREAMS / 2);
        } finally {
            for (Socket stream : streams) {
                stream.close();
            }
        }
    }

    @Test
    void aClientThatTakesNothingIsClosedByTheWriteTimeoutAndGivesItsSlotBack() throws Exception {
        String id = IdleCluster.insert(repository, transaction, "stalled");
        Api api = new Api(port);
        awaitOpenStreams(api, 0);
        // a tiny receive window that the kernel does not grow, and a client that never reads
        try (Socket stalled = openRaw(id, 4096)) {
            awaitOpenStreams(api, 1);
            String bulk = "x".repeat(7900);
            for (int i = 0; i < 600; i++) { // fewer than dind.events.max-behind: it is not cut off, it is stuck
                events.log(id, "test", i + " " + bulk);
            }
            Awaitility.await("the stuck stream closed").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200)).until(() ->
                            Prometheus.sample(api.get("/actuator/prometheus").body(), "dind_event_streams") == 0.0);
            assertThat(Prometheus.sample(api.get("/actuator/prometheus").body(), "dind_event_stream_cutoffs_total",
                    "reason", "behind")).as("it was not cut off for falling behind").isZero();
        }
    }

    private static long writerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("event-stream-")).count();
    }

    /** A stream on a raw socket, its status line and headers read; {@code receiveBuffer} 0: the default. */
    private Socket openRaw(String id, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("GET /clusters/" + id + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        if (receiveBuffer == 0) {
            String status = reader(socket).readLine();
            assertThat(status).as("the stream's status line").startsWith("HTTP/1.1 200");
        }
        return socket;
    }

    private final java.util.Map<Socket, BufferedReader> readers = new java.util.concurrent.ConcurrentHashMap<>();

    private BufferedReader reader(Socket socket) {
        return readers.computeIfAbsent(socket, s -> {
            try {
                return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** Reads lines until one contains {@code text}; false at the end of the stream. */
    private boolean readUntil(Socket socket, String text) throws IOException {
        for (String line = reader(socket).readLine(); line != null; line = reader(socket).readLine()) {
            if (line.contains(text)) {
                return true;
            }
        }
        return false;
    }
}
