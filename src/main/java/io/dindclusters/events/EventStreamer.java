package io.dindclusters.events;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.thread.Threading;
import org.springframework.core.env.Environment;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves a cluster's event log as server-sent events: the history after the client's last event id, then live
 * events until the stream's end ({@link StreamEnd}). The live part is read from the log once per cluster on this
 * replica, however many watch it: one {@link Feed} per watched cluster hands each new event to its subscribers'
 * queues. Each subscriber writes from its own (virtual, where available) thread, so a slow client only delays
 * itself, and one that falls dind.events.max-behind events behind is cut off (told to reconnect: it resumes with
 * Last-Event-ID) instead of holding events for it. When the replica shuts down, every stream is told to reconnect
 * (it resumes on another replica) and ends. An event is rendered as SSE text once, by its feed, not once per
 * subscriber, and a subscriber writes what it has waiting in one flush.
 */
@Component
public class EventStreamer {

    private static final Logger log = LoggerFactory.getLogger(EventStreamer.class);
    private static final int BATCH = 500;
    /** Wakes a subscriber without an event (drain, cancel). */
    private static final Frame WAKE = new Frame(new EventLog.FleetEvent(new ClusterEvent(-1, Instant.EPOCH,
            EventType.LOG, null, null, null, null, ""), null), "");
    /** What SseEmitter writes its own text parts as. */
    private static final MediaType TEXT = new MediaType("text", "plain", java.nio.charset.StandardCharsets.UTF_8);

    private final EventLog events;
    private final EventProperties properties;
    private final SimpleAsyncTaskExecutor writers;
    private final SimpleAsyncTaskExecutor readers;
    private final Map<String, Feed> feeds = new ConcurrentHashMap<>();
    private final Set<Subscriber> open = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    private final io.micrometer.core.instrument.MeterRegistry meters;
    private final JsonMapper json;

    EventStreamer(EventLog events, EventProperties properties, Environment environment,
                  io.micrometer.core.instrument.MeterRegistry meters, JsonMapper json) {
        this.events = events;
        this.properties = properties;
        this.meters = meters;
        this.json = json;
        io.micrometer.core.instrument.Gauge.builder("dind.event.streams", open, Set::size)
                .description("Event streams open on this replica (a cluster's and the fleet's)").register(meters);
        io.micrometer.core.instrument.Gauge.builder("dind.event.feeds", feeds, Map::size)
                .description("Readers of the event log on this replica: one per watched cluster, one for the fleet")
                .register(meters);
        boolean virtual = Threading.VIRTUAL.isActive(environment);
        this.writers = new SimpleAsyncTaskExecutor("event-stream-");
        this.writers.setVirtualThreads(virtual);
        this.writers.setConcurrencyLimit(properties.maxStreams());
        this.writers.setDaemon(true);
        this.readers = new SimpleAsyncTaskExecutor("event-feed-");
        this.readers.setVirtualThreads(virtual);
        this.readers.setDaemon(true);
    }

    /**
     * @param afterId events with ids above this are sent
     * @param end     where the stream ends, judged by the latest status event sent
     */
    public SseEmitter stream(String clusterId, long afterId, StreamEnd end) {
        return start(new Subscriber(new Source(clusterId,
                after -> events.after(clusterId, after, BATCH).stream().map(e -> new EventLog.FleetEvent(e, null))
                        .toList(),
                () -> events.lastId(clusterId), listener -> events.listen(clusterId, listener)),
                afterId, end, owner -> true));
    }

    /**
     * Every cluster's events in the fleet order (ids are fleet numbers, each event names its cluster), those of
     * clusters whose owner {@code visible} accepts; the history after {@code afterId}, then live, until the client
     * goes.
     */
    public SseEmitter streamFleet(long afterId, java.util.function.Predicate<String> visible) {
        return start(new Subscriber(new Source(FLEET, after -> events.fleetAfter(after, BATCH), events::fleetLast,
                events::listenToFleet), afterId, null, visible));
    }

    /**
     * An event and its server-sent event text (id, event name, data), as SseEmitter's builder writes it: rendered
     * once, written to every subscriber.
     */
    private record Frame(EventLog.FleetEvent fleetEvent, String text) {
        ClusterEvent event() {
            return fleetEvent.event();
        }
    }

    private Frame frame(EventLog.FleetEvent fleetEvent) {
        ClusterEvent event = fleetEvent.event();
        // JSON has no raw line breaks unless indented; each line of the data would be its own data field
        String data = json.writeValueAsString(event).replace("\n", "\ndata:");
        return new Frame(fleetEvent, "id:" + event.id() + "\nevent:" + event.typeName() + "\ndata:" + data + "\n\n");
    }

    /** The feed key of the fleet stream (no cluster id looks like this). */
    private static final String FLEET = "*";

    /**
     * Where a stream's events come from, for its history and for its feed alike: a cluster's log (ids are its
     * sequence) or the fleet's (fleet numbers); {@code key} names the feed.
     */
    private record Source(String key, java.util.function.LongFunction<List<EventLog.FleetEvent>> after,
                          java.util.function.LongSupplier last,
                          java.util.function.Function<Runnable, AutoCloseable> listen) {
    }

    private SseEmitter start(Subscriber subscriber) {
        SseEmitter emitter = subscriber.emitter;
        if (org.springframework.web.context.request.RequestContextHolder.getRequestAttributes()
                instanceof org.springframework.web.context.request.ServletRequestAttributes request) {
            // the writer starts once the request thread is out of the filters (StreamHandOffFilter)
            subscriber.returned = new java.util.concurrent.CountDownLatch(1);
            request.getRequest().setAttribute(StreamHandOffFilter.ATTRIBUTE, (Runnable) subscriber.returned::countDown);
        }
        emitter.onCompletion(subscriber::cancel);
        emitter.onTimeout(subscriber::cancel);
        emitter.onError(e -> subscriber.cancel());
        writers.execute(subscriber::run);
        return emitter;
    }

    /**
     * The replica shuts down: every stream, open now or opened later, sends what it has, asks the client to
     * reconnect in {@link #RECONNECT} and ends. An EventSource reconnects by itself with Last-Event-ID.
     */
    public void drain() {
        draining = true;
        open.forEach(Subscriber::wake);
    }

    /** Streams follow live events again (a context stopped and started again). */
    public void resume() {
        draining = false;
    }

    /** Longest a stream's writer waits for its request thread to return before it writes. */
    private static final Duration HAND_OFF = Duration.ofSeconds(10);

    /** The SSE retry a client is given when this replica shuts down or cuts it off. */
    static final Duration RECONNECT = Duration.ofSeconds(1);

    /** Joins the source's feed, starting one when it has none. */
    private Feed join(Subscriber subscriber) {
        Feed joined = feeds.compute(subscriber.source.key(), (key, feed) -> {
            Feed live = feed != null ? feed : new Feed(subscriber.source, subscriber.source.last().getAsLong());
            live.subscribers.add(subscriber);
            return live;
        });
        joined.startOnce();
        return joined;
    }

    /** Leaves the feed; its last subscriber leaving ends it. */
    private void leave(Feed feed, Subscriber subscriber) {
        feed.subscribers.remove(subscriber);
        feeds.computeIfPresent(feed.source.key(), (key, current) ->
                current == feed && current.subscribers.isEmpty() ? null : current);
        feed.wake.release();
    }

    /**
     * One cluster's live events (or, for {@link #FLEET}, the fleet's), read from the log once for all of its
     * subscribers on this replica.
     */
    private final class Feed {
        final Source source;
        final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
        final Semaphore wake = new Semaphore(0);
        private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
        /** Appends to one cluster commit in id order, so every event up to this one is in the log. */
        private long cursor;

        Feed(Source source, long cursor) {
            this.source = source;
            this.cursor = cursor;
        }

        void startOnce() {
            if (started.compareAndSet(false, true)) {
                readers.execute(this::run);
            }
        }

        void run() {
            try (AutoCloseable ignored = source.listen().apply(wake::release)) {
                while (feeds.get(source.key()) == this) {
                    List<EventLog.FleetEvent> batch = source.after().apply(cursor);
                    for (EventLog.FleetEvent event : batch) {
                        Frame frame = frame(event);
                        subscribers.forEach(s -> s.offer(frame));
                        cursor = event.event().id();
                    }
                    if (batch.size() < BATCH) {
                        // local commits wake it at once; other replicas' appear within the poll interval
                        wake.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                        wake.drainPermits();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                log.warn("event feed {} failed; its subscribers reconnect", source.key(), e);
                feeds.remove(source.key(), this);
                subscribers.forEach(Subscriber::cutOff);
            }
        }
    }

    /** One client's stream: its history from the log, then what the feed hands it. */
    private final class Subscriber {
        final Source source;
        /** Null on the fleet stream, which ends only when the client goes. */
        private final StreamEnd end;
        private final java.util.function.Predicate<String> visible;
        final SseEmitter emitter = new SseEmitter(properties.maxStreamDuration().toMillis());
        private final BlockingQueue<Frame> live = new ArrayBlockingQueue<>(properties.maxBehind() + 1);
        private volatile boolean cancelled;
        private volatile boolean cutOff;
        /** Counted down when the request thread has left the filters; null outside a request. */
        private volatile java.util.concurrent.CountDownLatch returned;
        private long lastId;
        private String lastStatus;

        Subscriber(Source source, long afterId, StreamEnd end, java.util.function.Predicate<String> visible) {
            this.source = source;
            this.lastId = afterId;
            this.end = end;
            this.visible = visible;
        }

        /** From the feed's thread: never blocks it. */
        void offer(Frame frame) {
            if (!visible.test(frame.fleetEvent().owner())) {
                return;
            }
            if (!cutOff && !live.offer(frame)) {
                cutOff();
            }
        }

        void cutOff() {
            cutOff = true;
            wake();
        }

        void cancel() {
            cancelled = true;
            wake();
        }

        void wake() {
            live.offer(WAKE);
        }

        void run() {
            open.add(this);
            // Joined before the history is read: what the feed hands over from now on is queued, what came
            // before is in the log; the overlap is skipped by id.
            Feed feed = join(this);
            try {
                if (returned != null && !returned.await(HAND_OFF.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("event stream {}: the request thread did not return in {}; writing anyway",
                            source.key(), HAND_OFF);
                }
                // A client resuming after the status that ends its stream (an EventSource reconnecting) is done.
                lastStatus = lastId > 0 && end != null ? events.statusAsOf(source.key(), lastId) : null;
                List<EventLog.FleetEvent> batch;
                do {
                    batch = source.after().apply(lastId);
                    List<Frame> visibleEvents = new ArrayList<>(batch.size());
                    for (EventLog.FleetEvent event : batch) {
                        if (visible.test(event.owner())) {
                            visibleEvents.add(frame(event));
                        } else {
                            lastId = event.event().id(); // skipped, not missed: the next read starts after it
                        }
                    }
                    send(visibleEvents, false);
                } while (batch.size() == BATCH && !cancelled);
                long lastWrite = System.nanoTime();
                while (!cancelled) {
                    if (end != null && end.endsAt(lastStatus)) {
                        emitter.complete();
                        return;
                    }
                    if (draining || cutOff) {
                        io.micrometer.core.instrument.Counter.builder("dind.event.stream.cutoffs")
                                .description("Event streams this replica ended early, told to reconnect: behind (it "
                                        + "fell dind.events.max-behind events behind) or draining (shutting down)")
                                .tag("reason", draining ? "draining" : "behind").register(meters).increment();
                        emitter.send(SseEmitter.event().reconnectTime(RECONNECT.toMillis()).comment(draining
                                ? "this replica is shutting down: reconnect with Last-Event-ID to resume"
                                : "this stream fell behind: reconnect with Last-Event-ID to resume"));
                        emitter.complete();
                        return;
                    }
                    long idle = properties.heartbeat().toNanos() - (System.nanoTime() - lastWrite);
                    Frame first = idle <= 0 ? null : live.poll(idle, TimeUnit.NANOSECONDS);
                    if (first == null) {
                        emitter.send(SseEmitter.event().comment("heartbeat"));
                        lastWrite = System.nanoTime();
                        continue;
                    }
                    // what else is waiting goes in the same write (a step's burst: one flush, not one per event)
                    List<Frame> waiting = new ArrayList<>();
                    waiting.add(first);
                    live.drainTo(waiting);
                    List<Frame> due = waiting.stream().filter(f -> f != WAKE && f.event().id() > lastId).toList();
                    if (!due.isEmpty()) {
                        send(due, true);
                        lastWrite = System.nanoTime();
                    }
                }
            } catch (IOException | IllegalStateException e) {
                log.debug("event stream {} closed by the client: {}", source.key(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                emitter.complete();
            } catch (Exception e) {
                log.warn("event stream {} failed", source.key(), e);
                emitter.completeWithError(e);
            } finally {
                open.remove(this);
                leave(feed, this);
            }
        }

        /**
         * Writes the frames in one flush. Live ones stop at the status that ends the stream (the history is sent
         * whole, as the log has it).
         */
        private void send(List<Frame> frames, boolean live) throws IOException {
            Set<ResponseBodyEmitter.DataWithMediaType> text = new LinkedHashSet<>();
            for (Frame frame : frames) {
                if (live && end != null && end.endsAt(lastStatus)) {
                    break;
                }
                text.add(new ResponseBodyEmitter.DataWithMediaType(frame.text(), TEXT));
                lastId = frame.event().id();
                if (frame.event().type() == EventType.STATUS) {
                    lastStatus = frame.event().status();
                }
            }
            if (!text.isEmpty()) {
                emitter.send(text);
            }
        }
    }
}
