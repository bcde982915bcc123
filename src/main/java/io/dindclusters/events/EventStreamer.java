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
 * events until the stream's end ({@link StreamEnd}). The log is read once per cluster on this replica, however many
 * watch it: one {@link Feed} per watched cluster hands each new event to its subscribers' queues and keeps the newest
 * ({@link RecentFrames}) for the history of those who join, so only a client resuming from further back reads the
 * log itself. This replica's own events are handed out by the committing thread; the feed's thread reads the log for
 * other replicas' (every dind.events.poll-interval) and for a gap between two threads' commits. Each subscriber
 * writes from its own thread (a platform thread; a virtual one with spring.threads.virtual.enabled on Java 21+), so a
 * slow client only delays itself, and one that falls dind.events.max-behind events behind is cut off (told to
 * reconnect: it resumes with Last-Event-ID) instead of holding events for it. When the replica shuts down, every
 * stream is told to reconnect (it resumes on another replica) and ends. An event is rendered as SSE text once, by its
 * feed, not once per subscriber, and a subscriber writes what it has waiting in one flush.
 */
@Component
public class EventStreamer {

    private static final Logger log = LoggerFactory.getLogger(EventStreamer.class);
    private static final int BATCH = 500;
    /** Wakes a subscriber without an event (drain, cancel). */
    private static final EventFrame WAKE = new EventFrame(new EventLog.FleetEvent(new ClusterEvent(-1, Instant.EPOCH,
            EventType.LOG, null, null, null, null, ""), null), "");
    /** What SseEmitter writes its own text parts as. */
    private static final MediaType TEXT = new MediaType("text", "plain", java.nio.charset.StandardCharsets.UTF_8);

    private final EventLog events;
    private final EventProperties properties;
    private final SimpleAsyncTaskExecutor writers;
    private final SimpleAsyncTaskExecutor readers;
    private final Map<String, Feed> feeds = new ConcurrentHashMap<>();
    private final Set<Subscriber> open = ConcurrentHashMap.newKeySet();
    /** One per stream that may be open at once (dind.events.max-streams); a stream holds its slot until it ends. */
    private final Semaphore slots;
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
        this.slots = new Semaphore(properties.maxStreams());
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
                () -> events.lastId(clusterId),
                listener -> events.listen(clusterId, e -> listener.accept(new EventLog.FleetEvent(e, null)))),
                afterId, end, owner -> true));
    }

    /**
     * Every cluster's events in the fleet order (ids are fleet numbers, each event names its cluster), those of
     * clusters whose owner {@code visible} accepts; the history after {@code afterId}, then live, until the client
     * goes.
     */
    public SseEmitter streamFleet(long afterId, java.util.function.Predicate<String> visible) {
        return start(new Subscriber(new Source(FLEET, after -> events.fleetAfter(after, BATCH), events::fleetLast,
                listener -> events.listenToFleet(() -> listener.accept(null))), afterId, null, visible));
    }

    private EventFrame frame(EventLog.FleetEvent fleetEvent) {
        ClusterEvent event = fleetEvent.event();
        // JSON has no raw line breaks unless indented; each line of the data would be its own data field
        String data = json.writeValueAsString(event).replace("\n", "\ndata:");
        return new EventFrame(fleetEvent,
                "id:" + event.id() + "\nevent:" + event.typeName() + "\ndata:" + data + "\n\n");
    }

    /** The feed key of the fleet stream (no cluster id looks like this). */
    private static final String FLEET = "*";

    /**
     * Where a stream's events come from, for its history and for its feed alike: a cluster's log (ids are its
     * sequence) or the fleet's (fleet numbers); {@code key} names the feed. {@code listen} tells of this replica's
     * commits: with the event committed (a cluster's), or with null (the fleet's: read the log).
     */
    private record Source(String key, java.util.function.LongFunction<List<EventLog.FleetEvent>> after,
                          java.util.function.LongSupplier last,
                          java.util.function.Function<java.util.function.Consumer<EventLog.FleetEvent>, AutoCloseable>
                                  listen) {
    }

    /** @throws TooManyStreamsException with dind.events.max-streams open: nothing is opened or held */
    private SseEmitter start(Subscriber subscriber) {
        if (!slots.tryAcquire()) {
            io.micrometer.core.instrument.Counter.builder("dind.event.streams.refused")
                    .description("Event streams this replica refused (503) because dind.events.max-streams were open")
                    .register(meters).increment();
            throw new TooManyStreamsException(properties.maxStreams());
        }
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
        try {
            writers.execute(subscriber::run); // the writer gives the slot back when it ends
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
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

    /**
     * Joins the source's feed (starting one when it has none) and returns the frames it holds after the subscriber's
     * last id; from now on the feed hands the subscriber every newer one.
     */
    private List<EventFrame> join(Subscriber subscriber) {
        Feed joined = feeds.compute(subscriber.source.key(), (key, feed) -> {
            Feed live = feed != null ? feed : new Feed(subscriber.source);
            live.members.add(subscriber);
            return live;
        });
        subscriber.feed = joined;
        return joined.attach(subscriber);
    }

    /** Leaves the feed; its last subscriber leaving ends it. */
    private void leave(Feed feed, Subscriber subscriber) {
        feed.detach(subscriber);
        feed.members.remove(subscriber);
        feeds.computeIfPresent(feed.source.key(), (key, current) ->
                current == feed && current.members.isEmpty() ? null : current);
        feed.wake.release();
    }

    /** Frames a feed keeps for joining subscribers, and at most this much of their text (about 4 bytes a char). */
    static final int RECENT_FRAMES = BATCH;
    static final long RECENT_CHARS = 256 * 1024;

    /**
     * One cluster's live events (or, for {@link #FLEET}, the fleet's), read from the log once for all of its
     * subscribers on this replica, which it also serves the newest events from memory when they join.
     */
    private final class Feed {
        final Source source;
        /** Who keeps the feed open: joined and not yet left. */
        final Set<Subscriber> members = ConcurrentHashMap.newKeySet();
        final Semaphore wake = new Semaphore(0);
        /** Those handed each new frame; guarded by this. */
        private final List<Subscriber> receivers = new ArrayList<>();
        /** Null until the first subscriber loaded it; guarded by this. */
        private RecentFrames recent;
        /** The newest event handed out; guarded by this. Appends to one cluster commit in id order. */
        private long cursor;
        /** Committed events handed over ahead of one still to come (two threads' commits); guarded by this. */
        private final java.util.TreeMap<Long, EventLog.FleetEvent> early = new java.util.TreeMap<>();
        private boolean failed;

        Feed(Source source) {
            this.source = source;
        }

        /** The frames after the subscriber's last id; the first to attach reads them from the log, once. */
        synchronized List<EventFrame> attach(Subscriber subscriber) {
            if (failed) {
                subscriber.cutOff();
                return List.of();
            }
            if (recent == null) {
                cursor = Math.max(0, source.last().getAsLong() - RECENT_FRAMES);
                recent = new RecentFrames(RECENT_FRAMES, RECENT_CHARS, cursor);
                catchUp(); // under the lock: whoever attaches next waits for the frames, not for a read of their own
                readers.execute(this::run);
            }
            receivers.add(subscriber);
            subscriber.recentFrom = recent.from();
            return recent.after(subscriber.lastId);
        }

        synchronized void detach(Subscriber subscriber) {
            receivers.remove(subscriber);
        }

        /** Hands the events after the cursor to every receiver and keeps them for those who join later. */
        private synchronized void handOut(List<EventLog.FleetEvent> batch) {
            for (EventLog.FleetEvent event : batch) {
                handOut(event);
            }
            handOutEarly();
        }

        private void handOut(EventLog.FleetEvent event) {
            if (event.event().id() <= cursor) {
                return;
            }
            EventFrame frame = frame(event);
            recent.add(frame);
            for (Subscriber subscriber : receivers) {
                subscriber.offer(frame);
            }
            cursor = event.event().id();
        }

        private void handOutEarly() {
            early.headMap(cursor, true).clear();
            while (!early.isEmpty() && early.firstKey() == cursor + 1) {
                handOut(early.pollFirstEntry().getValue());
            }
        }

        /**
         * On the committing thread: an event this replica committed goes out at once, without waiting for the
         * feed's thread to read it back from the log (on two busy cores that wait was most of its delay). One that
         * comes ahead of another thread's earlier commit waits for it; the feed's thread reads the log for the gap.
         *
         * @return whether the log needs reading (a gap)
         */
        private synchronized boolean handOver(EventLog.FleetEvent event) {
            if (event == null || failed) {
                return true;
            }
            if (event.event().id() > cursor) {
                early.put(event.event().id(), event);
                handOutEarly();
            }
            return !early.isEmpty();
        }

        private synchronized long cursor() {
            return cursor;
        }

        /** Reads the log after the cursor and hands out what is there, a batch at a time. */
        private void catchUp() {
            List<EventLog.FleetEvent> batch;
            do {
                batch = source.after().apply(cursor());
                handOut(batch);
            } while (batch.size() == BATCH);
        }

        void run() {
            try (AutoCloseable ignored = source.listen().apply(event -> {
                if (handOver(event)) {
                    wake.release();
                }
            })) {
                while (feeds.get(source.key()) == this) {
                    catchUp();
                    // a gap between local commits or a subscriber leaving wakes it; other replicas' events: the poll
                    wake.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                log.warn("event feed {} failed; its subscribers reconnect", source.key(), e);
                feeds.remove(source.key(), this);
                synchronized (this) {
                    failed = true;
                    receivers.forEach(Subscriber::cutOff);
                }
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
        private final BlockingQueue<EventFrame> live = new ArrayBlockingQueue<>(properties.maxBehind() + 1);
        private volatile boolean cancelled;
        private volatile boolean cutOff;
        /** Counted down when the request thread has left the filters; null outside a request. */
        private volatile java.util.concurrent.CountDownLatch returned;
        private long lastId;
        private String lastStatus;
        /** The feed joined, and the id after which it served the history from memory; set by {@link #join}. */
        private Feed feed;
        private long recentFrom;

        Subscriber(Source source, long afterId, StreamEnd end, java.util.function.Predicate<String> visible) {
            this.source = source;
            this.lastId = afterId;
            this.end = end;
            this.visible = visible;
        }

        /** From the feed, on its thread or a committing one: never blocks. */
        void offer(EventFrame frame) {
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
            try {
                // The feed's newest frames, and from now on what it hands over is queued; what is older than
                // those (a client resuming far back) is read from the log.
                List<EventFrame> recentFrames = join(this);
                if (returned != null && !returned.await(HAND_OFF.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("event stream {}: the request thread did not return in {}; writing anyway",
                            source.key(), HAND_OFF);
                }
                // A client resuming after the status that ends its stream (an EventSource reconnecting) is done.
                lastStatus = lastId > 0 && end != null ? events.statusAsOf(source.key(), lastId) : null;
                sendOlderThanRecent();
                send(recentFrames.stream().filter(f -> visible.test(f.fleetEvent().owner())).toList(), false);
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
                    EventFrame first = idle <= 0 ? null : live.poll(idle, TimeUnit.NANOSECONDS);
                    if (first == null) {
                        emitter.send(SseEmitter.event().comment("heartbeat"));
                        lastWrite = System.nanoTime();
                        continue;
                    }
                    // what else is waiting goes in the same write (a step's burst: one flush, not one per event)
                    List<EventFrame> waiting = new ArrayList<>();
                    waiting.add(first);
                    live.drainTo(waiting);
                    List<EventFrame> due = waiting.stream().filter(f -> f != WAKE && f.event().id() > lastId).toList();
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
                if (feed != null) {
                    leave(feed, this);
                }
                slots.release();
            }
        }

        /** The history from the log, up to where the feed's frames in memory begin. */
        private void sendOlderThanRecent() throws IOException {
            boolean more = lastId < recentFrom;
            while (more && !cancelled) {
                List<EventLog.FleetEvent> batch = source.after().apply(lastId);
                List<EventFrame> older = new ArrayList<>(batch.size());
                long read = lastId;
                for (EventLog.FleetEvent event : batch) {
                    if (event.event().id() > recentFrom) {
                        break;
                    }
                    read = event.event().id();
                    if (visible.test(event.owner())) {
                        older.add(frame(event));
                    }
                }
                send(older, false);
                lastId = Math.max(lastId, read); // the invisible ones are skipped, not missed
                more = batch.size() == BATCH && lastId < recentFrom;
            }
        }

        /**
         * Writes the frames in one flush. Live ones stop at the status that ends the stream (the history is sent
         * whole, as the log has it).
         */
        private void send(List<EventFrame> frames, boolean live) throws IOException {
            Set<ResponseBodyEmitter.DataWithMediaType> text = new LinkedHashSet<>();
            for (EventFrame frame : frames) {
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
