import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The event fan-out, measured from outside (scripts/benchmark-api runs it, with a JDK's single-file launcher), in two
 * phases on one cluster:
 * 1. coming up: SUBSCRIBERS clients follow the cluster's event stream while it is created and provisioned (they
 *    attach while it provisions, so connecting and live delivery share the cores), and STALLED more open the same
 *    stream on sockets they never read;
 * 2. going: once it is RUNNING, as many follow it with ?until=deleted (and STALLED more never read), and when every
 *    one has its history the cluster is deleted: each teardown event is live to all of them.
 * Prints, on one line, per phase: the subscribers that got every event in order and the same as each other, the
 * live delivery delay (receipt minus the event's time, both on this machine's clock) p50, p99 and max in ms, over
 * every event that happened after the subscriber's stream was open, and the number of events; "-1 NOT-FOLLOWED -1 -1 -1 0" for
 * phase 2 when the service ends a stream of a RUNNING cluster at once (before ?until=).
 * The followers are read by one thread over one selector (see Follow), the stalled ones are plain sockets.
 * Usage: java SseFanOut.java BASE_URL SUBSCRIBERS STALLED
 */
public class SseFanOut {

    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    private static final Pattern TIME = Pattern.compile("\"time\":\"([^\"]+)\"");

    /** One event as a subscriber got it; live when it happened after the subscriber's stream was open. */
    record Received(long id, Instant time, Instant at, boolean live) {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int subscribers = Integer.parseInt(args[1]);
        int stalled = Integer.parseInt(args[2]);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String created = http.send(HttpRequest.newBuilder(URI.create(base + "/clusters"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"bootstrap\":\"none\",\"ipMode\":\"ipv6\",\"workers\":2}"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher idMatch = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(created);
        if (!idMatch.find()) {
            throw new IllegalStateException("no cluster: " + created);
        }
        String cluster = idMatch.group(1);
        URI events = URI.create(base + "/clusters/" + cluster + "/events");

        Follow comingUp = new Follow(events, subscribers, stalled, 0);
        String first = comingUp.finish();
        long running = comingUp.lastId();

        Follow going = new Follow(URI.create(events + "?until=deleted"), subscribers, stalled, running);
        boolean attached = going.attached.await(2, TimeUnit.MINUTES);
        http.send(HttpRequest.newBuilder(URI.create(base + "/clusters/" + cluster)).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
        String second = going.finish();
        if (!attached || going.lastId() <= running) { // the stream ended at RUNNING: nothing was followed
            second = "-1 NOT-FOLLOWED -1 -1 -1 0";
        }
        System.out.println(first + " " + second);
    }

    /**
     * SUBSCRIBERS streams of one URI (and STALLED that never read), until the service ends them. All are read by one
     * thread over one selector, as a load generator such as wrk reads its connections: the client's own cost stays
     * small beside the service's on the shared cores (HttpClient's stream bodies took a thread each and used about as
     * much CPU as the service).
     */
    static final class Follow {
        final List<List<Received>> all = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch done;
        /** Counted down when a subscriber has the event with id {@code historyTo} (its history is in). */
        final CountDownLatch attached;
        final List<Socket> sleepers = new ArrayList<>();
        private final Selector selector;
        private final Thread reader;

        Follow(URI events, int subscribers, int stalled, long historyTo) throws Exception {
            done = new CountDownLatch(subscribers);
            attached = new CountDownLatch(subscribers);
            String target = events.getRawQuery() == null ? events.getPath() : events.getPath() + "?" + events.getRawQuery();
            byte[] request = ("GET " + target + " HTTP/1.1\r\nHost: " + events.getHost() + "\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < stalled; i++) {
                Socket socket = new Socket();
                socket.setReceiveBufferSize(4096);
                socket.connect(new InetSocketAddress(events.getHost(), events.getPort()), 10_000);
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
                sleepers.add(socket);
            }
            selector = Selector.open();
            for (int i = 0; i < subscribers; i++) {
                List<Received> got = Collections.synchronizedList(new ArrayList<>());
                all.add(got);
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.connect(new InetSocketAddress(events.getHost(), events.getPort()));
                channel.register(selector, SelectionKey.OP_CONNECT, new Stream(got, historyTo, ByteBuffer.wrap(request)));
            }
            reader = new Thread(this::read, "sse-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** The one reading thread: connects, sends each request, and parses what comes, until every stream ends. */
        private void read() {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            try {
                while (done.getCount() > 0 && System.nanoTime() < deadline) {
                    selector.select(1000);
                    for (var keys = selector.selectedKeys().iterator(); keys.hasNext(); ) {
                        SelectionKey key = keys.next();
                        keys.remove();
                        Stream stream = (Stream) key.attachment();
                        SocketChannel channel = (SocketChannel) key.channel();
                        try {
                            if (key.isConnectable() && channel.finishConnect()) {
                                key.interestOps(SelectionKey.OP_WRITE);
                            }
                            if (key.isValid() && key.isWritable()) {
                                channel.write(stream.request);
                                if (!stream.request.hasRemaining()) {
                                    key.interestOps(SelectionKey.OP_READ);
                                }
                            }
                            if (key.isValid() && key.isReadable()) {
                                buffer.clear();
                                int n = channel.read(buffer);
                                Instant at = Instant.now();
                                if (n > 0) {
                                    stream.take(buffer.array(), n, at);
                                }
                                if (n < 0 || stream.ended) {
                                    end(key, stream);
                                }
                            }
                        } catch (java.io.IOException e) {
                            end(key, stream);
                        }
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private void end(SelectionKey key, Stream stream) throws java.io.IOException {
            key.cancel();
            key.channel().close();
            if (!stream.counted) {
                stream.counted = true;
                attached.countDown();
            }
            done.countDown();
        }

        /** One stream's parser: the response head, then HTTP/1.1 chunks, then SSE lines. */
        final class Stream {
            final List<Received> got;
            final long historyTo;
            final ByteBuffer request;
            private final StringBuilder head = new StringBuilder();
            private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            private final StringBuilder size = new StringBuilder();
            private Instant connected;
            /** Bytes left in the current chunk; -1 while its size line is read, -2 for the CRLF after a chunk. */
            private long chunkLeft = -1;
            boolean counted;
            boolean ended;

            Stream(List<Received> got, long historyTo, ByteBuffer request) {
                this.got = got;
                this.historyTo = historyTo;
                this.request = request;
            }

            void take(byte[] bytes, int length, Instant at) {
                for (int i = 0; i < length && !ended; i++) {
                    byte b = bytes[i];
                    if (connected == null) {
                        head.append((char) b);
                        if (head.length() >= 4 && head.indexOf("\r\n\r\n", head.length() - 4) >= 0) {
                            if (!head.toString().contains("chunked")) {
                                throw new IllegalStateException("not a chunked stream: " + head);
                            }
                            connected = at;
                        }
                    } else if (chunkLeft == -1) { // the size line
                        if (b == '\n') {
                            chunkLeft = Long.parseLong(size.toString().trim(), 16);
                            size.setLength(0);
                            if (chunkLeft == 0) {
                                ended = true; // the last chunk: the service ended the stream
                            }
                        } else {
                            size.append((char) b);
                        }
                    } else if (chunkLeft == -2) { // the CRLF after a chunk's data
                        if (b == '\n') {
                            chunkLeft = -1;
                        }
                    } else {
                        if (b == '\n') {
                            line(line.toString(StandardCharsets.UTF_8), at);
                            line.reset();
                        } else if (b != '\r') {
                            line.write(b);
                        }
                        if (--chunkLeft == 0) {
                            chunkLeft = -2;
                        }
                    }
                }
            }

            private void line(String text, Instant at) {
                if (!text.startsWith("data:")) {
                    return;
                }
                Matcher id = ID.matcher(text);
                Matcher time = TIME.matcher(text);
                if (id.find() && time.find()) {
                    Instant time0 = Instant.parse(time.group(1));
                    long n = Long.parseLong(id.group(1));
                    got.add(new Received(n, time0, at, time0.isAfter(connected)));
                    if (!counted && n >= historyTo) {
                        counted = true;
                        attached.countDown();
                    }
                }
            }
        }

        /** Waits for every stream's end; its figures: complete, order, p50, p99, max, events. */
        String finish() throws Exception {
            if (!done.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("streams still open after 5 minutes");
            }
            close();
            List<Long> reference = all.get(0).stream().map(Received::id).toList();
            long complete = all.stream().filter(got -> got.stream().map(Received::id).toList().equals(reference)).count();
            boolean ordered = reference.equals(reference.stream().sorted().distinct().toList())
                    && !reference.isEmpty() && reference.get(0) == 1;
            List<Long> delays = new ArrayList<>();
            for (List<Received> got : all) {
                for (Received r : got) {
                    if (r.live()) { // not history
                        delays.add(Duration.between(r.time(), r.at()).toMillis());
                    }
                }
            }
            Collections.sort(delays);
            for (List<Received> got : all) {
                List<Long> ids = got.stream().map(Received::id).toList();
                if (!ids.equals(reference)) {
                    System.err.println("DIFF ref=" + reference + " got=" + ids);
                }
            }
            return String.format("%d %s %d %d %d %d", complete, ordered ? "ordered" : "NOT-ORDERED",
                    percentile(delays, 50), percentile(delays, 99), delays.isEmpty() ? -1 : delays.get(delays.size() - 1),
                    reference.size());
        }

        /** The last event id the first subscriber got. */
        long lastId() {
            List<Received> got = all.get(0);
            return got.isEmpty() ? 0 : got.get(got.size() - 1).id();
        }

        void close() throws Exception {
            selector.close();
            for (Socket socket : sleepers) {
                socket.close();
            }
            sleepers.clear();
        }
    }

    private static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
