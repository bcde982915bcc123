import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
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
import java.util.concurrent.CompletableFuture;
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

        Follow comingUp = new Follow(http, events, subscribers, stalled, 0);
        String first = comingUp.finish();
        long running = comingUp.lastId();

        Follow going = new Follow(http, URI.create(events + "?until=deleted"), subscribers, stalled, running);
        boolean attached = going.attached.await(2, TimeUnit.MINUTES);
        http.send(HttpRequest.newBuilder(URI.create(base + "/clusters/" + cluster)).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
        String second = going.finish();
        if (!attached || going.lastId() <= running) { // the stream ended at RUNNING: nothing was followed
            second = "-1 NOT-FOLLOWED -1 -1 -1 0";
        }
        System.out.println(first + " " + second);
    }

    /** SUBSCRIBERS streams of one URI (and STALLED that never read), until the service ends them. */
    static final class Follow {
        final List<List<Received>> all = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch done;
        /** Counted down when a subscriber has the event with id {@code historyTo} (its history is in). */
        final CountDownLatch attached;
        final List<Socket> sleepers = new ArrayList<>();

        Follow(HttpClient http, URI events, int subscribers, int stalled, long historyTo) throws Exception {
            done = new CountDownLatch(subscribers);
            attached = new CountDownLatch(subscribers);
            for (int i = 0; i < stalled; i++) {
                Socket socket = new Socket();
                socket.setReceiveBufferSize(4096);
                socket.connect(new InetSocketAddress(events.getHost(), events.getPort()), 10_000);
                OutputStream out = socket.getOutputStream();
                String target = events.getRawQuery() == null ? events.getPath() : events.getPath() + "?" + events.getRawQuery();
                out.write(("GET " + target + " HTTP/1.1\r\nHost: " + events.getHost() + "\r\n"
                        + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                sleepers.add(socket);
            }
            for (int i = 0; i < subscribers; i++) {
                List<Received> got = Collections.synchronizedList(new ArrayList<>());
                all.add(got);
                http.sendAsync(HttpRequest.newBuilder(events).header("Accept", "text/event-stream")
                                .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofInputStream())
                        .thenAccept(response -> {
                            Instant connected = Instant.now();
                            boolean counted = false;
                            try (var reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                                    if (line.startsWith("data:")) {
                                        Instant at = Instant.now();
                                        Matcher id = ID.matcher(line);
                                        Matcher time = TIME.matcher(line);
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
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            } finally {
                                if (!counted) {
                                    attached.countDown();
                                }
                                done.countDown();
                            }
                        });
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
