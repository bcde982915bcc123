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
 * The event fan-out, measured from outside (scripts/benchmark-api runs it, with a JDK's single-file launcher):
 * SUBSCRIBERS clients follow one cluster's event stream while it is created and provisioned, and STALLED more open
 * the same stream on sockets they never read. Prints, on one line: the subscribers that got every event in order
 * and the same as each other, then the live delivery delay (receipt minus the event's time, both on this machine's
 * clock) p50, p99 and max in ms, over every event that happened after the subscriber's stream was open, and the
 * number of events.
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

        List<Socket> sleepers = new ArrayList<>();
        for (int i = 0; i < stalled; i++) {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress(events.getHost(), events.getPort()), 10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + events.getPath() + " HTTP/1.1\r\nHost: " + events.getHost() + "\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            sleepers.add(socket);
        }

        List<List<Received>> all = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(subscribers);
        List<CompletableFuture<?>> streams = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            List<Received> got = new ArrayList<>();
            all.add(got);
            streams.add(http.sendAsync(HttpRequest.newBuilder(events).header("Accept", "text/event-stream")
                            .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofInputStream())
                    .thenAccept(response -> {
                        Instant connected = Instant.now();
                        try (var reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                                if (line.startsWith("data:")) {
                                    Instant at = Instant.now();
                                    Matcher id = ID.matcher(line);
                                    Matcher time = TIME.matcher(line);
                                    if (id.find() && time.find()) {
                                        Instant time0 = Instant.parse(time.group(1));
                                        got.add(new Received(Long.parseLong(id.group(1)), time0, at,
                                                time0.isAfter(connected)));
                                    }
                                }
                            }
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        } finally {
                            done.countDown();
                        }
                    }));
        }
        if (!done.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("streams still open after 5 minutes");
        }
        for (Socket socket : sleepers) {
            socket.close();
        }
        http.send(HttpRequest.newBuilder(URI.create(base + "/clusters/" + cluster)).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());

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
        System.out.printf("%d %s %d %d %d %d%n", complete, ordered ? "ordered" : "NOT-ORDERED",
                percentile(delays, 50), percentile(delays, 99), delays.isEmpty() ? -1 : delays.get(delays.size() - 1),
                reference.size());
    }

    private static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
