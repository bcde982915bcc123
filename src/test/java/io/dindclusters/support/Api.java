package io.dindclusters.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The service's HTTP API as a client sees it, over real HTTP. */
public final class Api {

    public record Response(int status, Map<String, List<String>> headers, String body) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }
    }

    /**
     * One server-sent event; or a comment when {@code comment} is set; or, when only {@code retry} is set, a block
     * that tells the client how long to wait before it reconnects.
     */
    public record SseEvent(String id, String event, String data, String comment, Long retry) {

        public JsonNode json() {
            return JSON.readTree(data);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public Api(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public Response post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response postWithHeaders(String path, String json, String... headers) {
        var request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request);
    }

    public Response patchWithHeaders(String path, String json, String... headers) {
        var request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request);
    }

    public Response deleteWithHeaders(String path, String... headers) {
        var request = HttpRequest.newBuilder(uri(path)).DELETE();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request);
    }

    public Response patch(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response post(String path, String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public Response get(String path, String... headers) {
        var request = HttpRequest.newBuilder(uri(path)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request);
    }

    public Response delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    public String status(String idOrName) {
        return get("/clusters/" + idOrName).json().get("status").asString();
    }

    /** Waits until the cluster reaches {@code expected}, failing early when it settles in another state. */
    public JsonNode awaitStatus(String idOrName, String expected, Duration atMost) {
        Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
            String status = status(idOrName);
            if (!status.equals(expected) && List.of("RUNNING", "FAILED", "DELETED").contains(status)) {
                throw new AssertionError("cluster " + idOrName + " is " + status + ", expected " + expected + ": "
                        + get("/clusters/" + idOrName).body());
            }
            return status.equals(expected);
        });
        return get("/clusters/" + idOrName).json();
    }

    /** An event stream being read in the background; events appear in {@link #events()} as they arrive. */
    public final class Stream implements AutoCloseable {
        private final List<SseEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final java.util.concurrent.CompletableFuture<Void> ended;
        private volatile java.io.InputStream body;

        private Stream(String path, String... headers) {
            var request = HttpRequest.newBuilder(uri(path)).header("Accept", "text/event-stream").GET();
            if (headers.length > 0) {
                request.headers(headers);
            }
            ended = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream()).thenAcceptAsync(r -> {
                if (r.statusCode() != 200) {
                    throw new AssertionError("event stream answered " + r.statusCode());
                }
                body = r.body();
                try (var reader = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                    parse(reader, events::add);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }

        public List<SseEvent> events() {
            return List.copyOf(events);
        }

        /** Hangs up (for streams that end only when the client goes): the server's next write fails. */
        @Override
        public void close() {
            ended.cancel(true);
            try {
                if (body != null) {
                    body.close();
                }
            } catch (IOException e) {
                // closing a stream the server may have closed already
            }
        }

        /** Waits for the server to end the stream; fails when it is still open after {@code atMost}. */
        public List<SseEvent> awaitEnd(Duration atMost) {
            try {
                ended.get(atMost.toMillis(), TimeUnit.MILLISECONDS);
                return events();
            } catch (TimeoutException e) {
                ended.cancel(true);
                throw new AssertionError("event stream still open after " + atMost + "; got " + events);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            } catch (ExecutionException e) {
                throw new AssertionError(e.getCause());
            }
        }
    }

    public Stream openStream(String path, String... headers) {
        return new Stream(path, headers);
    }

    /** Reads an event stream until the server ends it; fails when it is still open after {@code atMost}. */
    public List<SseEvent> readStream(String path, Duration atMost, String... headers) {
        return openStream(path, headers).awaitEnd(atMost);
    }

    /** Reads server-sent events until the stream ends. */
    public static void parse(BufferedReader reader, java.util.function.Consumer<SseEvent> sink) throws IOException {
        String id = null;
        String event = null;
        StringBuilder data = null;
        Long retry = null;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.isEmpty()) {
                if (data != null) {
                    sink.accept(new SseEvent(id, event, data.toString(), null, retry));
                } else if (retry != null) {
                    sink.accept(new SseEvent(null, null, null, null, retry));
                }
                id = null;
                event = null;
                data = null;
                retry = null;
            } else if (line.startsWith(":")) {
                sink.accept(new SseEvent(null, null, null, line.substring(1).trim(), null));
            } else {
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                value = value.startsWith(" ") ? value.substring(1) : value;
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> event = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    case "retry" -> retry = Long.parseLong(value);
                    default -> { }
                }
            }
        }
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    /** How long a request may take when it asks the server to wait for nothing. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** What the server may take beyond a {@code ?wait=} it was asked for, to answer. */
    static final Duration WAIT_MARGIN = Duration.ofSeconds(15);
    private static final java.util.regex.Pattern WAIT = java.util.regex.Pattern.compile("[?&]wait=([^&]+)");

    /**
     * The one bound of a request: a {@code ?wait=} in it (in the forms the service accepts) plus a margin, so that a
     * call asking the server to wait 120 s is not cut off by the client at 30.
     */
    static Duration timeout(String pathAndQuery) {
        var wait = WAIT.matcher(pathAndQuery);
        if (!wait.find()) {
            return DEFAULT_TIMEOUT;
        }
        String value = java.net.URLDecoder.decode(wait.group(1), StandardCharsets.UTF_8);
        var simple = java.util.regex.Pattern.compile("^(\\d{1,6})(s|m|h)?$").matcher(value);
        Duration asked;
        if (simple.matches()) {
            long n = Long.parseLong(simple.group(1));
            asked = switch (simple.group(2) == null ? "s" : simple.group(2)) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
        } else {
            try {
                asked = Duration.parse(value);
            } catch (java.time.format.DateTimeParseException e) {
                return DEFAULT_TIMEOUT; // refused at once with 400
            }
        }
        Duration bound = asked.plus(WAIT_MARGIN);
        return bound.compareTo(DEFAULT_TIMEOUT) > 0 ? bound : DEFAULT_TIMEOUT;
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpRequest built = request.build();
            String query = built.uri().getRawQuery();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(built, (n, v) -> true)
                            .timeout(timeout(query == null ? "" : "?" + query)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
