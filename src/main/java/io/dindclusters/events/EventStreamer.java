package io.dindclusters.events;

import jakarta.annotation.PreDestroy;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.thread.Threading;
import org.springframework.core.env.Environment;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.http.MediaType;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves a cluster's event log as server-sent events: the history after the client's last event id, then live
 * events until the stream's end ({@link StreamEnd}). The log is read once per cluster on this replica, however many
 * watch it: one {@link Feed} per watched cluster hands each new event to its subscribers' queues and keeps the newest
 * ({@link RecentFrames}) for the history of those who join, so only a client resuming from further back reads the
 * log itself. This replica's own events are handed out by the committing thread; the feed's thread reads the log for
 * other replicas' (every dind.events.poll-interval) and for a gap between two threads' commits.
 * <p>
 * A stream holds no thread while it is open: it is an asynchronous request whose response is written without
 * blocking (the Servlet API's {@link WriteListener}) by a few writer threads that all streams share, whenever its feed
 * has something for it or its socket can take more. A thread per stream cost about 90 KB of resident memory a stream
 * more (its touched stack; measured with a thousand open) and its creation, and ending a stream through Spring's async
 * dispatch ran the whole filter chain once more. A slow client only delays itself: what its socket cannot take waits in its queue, and one that falls
 * dind.events.max-behind events behind is cut off (told to reconnect: it resumes with Last-Event-ID). When the
 * replica shuts down, or a stream has been open dind.events.max-stream-duration, it is told to reconnect and ends. An
 * event is rendered and encoded once, by its feed, not once per subscriber, and a subscriber writes what it has
 * waiting in one write.
 */
@Component
public class EventStreamer {

    private static final Logger log = LoggerFactory.getLogger(EventStreamer.class);
    private static final int BATCH = 500;
    private static final byte[] HEARTBEAT = ":heartbeat\n\n".getBytes(StandardCharsets.US_ASCII);

    private final EventLog events;
    private final EventProperties properties;
    /** Write the streams' responses; they never block (non-blocking I/O), so a few serve them all. */
    private final ExecutorService writers;
    /** Heartbeats, and a stream's end at dind.events.max-stream-duration. */
    private final ScheduledExecutorService clock;
    /** Feeds, and the history from the log of clients resuming from further back than a feed holds. */
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
        this.slots = new Semaphore(properties.maxStreams());
        CustomizableThreadFactory writerThreads = new CustomizableThreadFactory("event-stream-");
        writerThreads.setDaemon(true);
        this.writers = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                writerThreads);
        CustomizableThreadFactory clockThread = new CustomizableThreadFactory("event-stream-clock-");
        clockThread.setDaemon(true);
        this.clock = Executors.newSingleThreadScheduledExecutor(clockThread);
        this.readers = new SimpleAsyncTaskExecutor("event-feed-");
        this.readers.setVirtualThreads(Threading.VIRTUAL.isActive(environment));
        this.readers.setDaemon(true);
    }

    /**
     * Starts the stream of one cluster's events as the response to {@code request}; returns once it is under way
     * (the request is asynchronous from then on), or throws before anything is sent.
     *
     * @param afterId events with ids above this are sent
     * @param end     where the stream ends, judged by the latest status event sent
     * @throws TooManyStreamsException with dind.events.max-streams open: nothing is opened or held
     */
    public void stream(String clusterId, long afterId, StreamEnd end, HttpServletRequest request,
                       HttpServletResponse response) {
        start(new Subscriber(new Source(clusterId,
                after -> events.after(clusterId, after, BATCH).stream().map(e -> new EventLog.FleetEvent(e, null))
                        .toList(),
                () -> events.lastId(clusterId),
                listener -> events.listen(clusterId, e -> listener.accept(new EventLog.FleetEvent(e, null)))),
                afterId, end, owner -> true), request, response);
    }

    /**
     * Every cluster's events in the fleet order (ids are fleet numbers, each event names its cluster), those of
     * clusters whose owner {@code visible} accepts; the history after {@code afterId}, then live, until the client
     * goes.
     */
    public void streamFleet(long afterId, Predicate<String> visible, HttpServletRequest request,
                            HttpServletResponse response) {
        start(new Subscriber(new Source(FLEET, after -> events.fleetAfter(after, BATCH), events::fleetLast,
                listener -> events.listenToFleet(() -> listener.accept(null))), afterId, null, visible),
                request, response);
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

    private void start(Subscriber subscriber, HttpServletRequest request, HttpServletResponse response) {
        if (!slots.tryAcquire()) {
            io.micrometer.core.instrument.Counter.builder("dind.event.streams.refused")
                    .description("Event streams this replica refused (503) because dind.events.max-streams were open")
                    .register(meters).increment();
            throw new TooManyStreamsException(properties.maxStreams());
        }
        try {
            subscriber.open(request, response);
        } catch (IOException e) {
            subscriber.finish();
            throw new java.io.UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            subscriber.finish(); // gives the slot back
            throw e;
        }
    }

    /**
     * The replica shuts down: every stream, open now or opened later, sends what it has, asks the client to
     * reconnect in {@link #RECONNECT} and ends. An EventSource reconnects by itself with Last-Event-ID.
     */
    public void drain() {
        draining = true;
        open.forEach(Subscriber::schedule);
    }

    /** Streams follow live events again (a context stopped and started again). */
    public void resume() {
        draining = false;
    }

    @PreDestroy
    void close() {
        clock.shutdownNow();
        writers.shutdownNow();
    }

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

    /** Frames a feed keeps for joining subscribers, and at most this many bytes of their text. */
    static final int RECENT_FRAMES = BATCH;
    static final long RECENT_BYTES = 512 * 1024;

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
                recent = new RecentFrames(RECENT_FRAMES, RECENT_BYTES, cursor);
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

    /** History from the log, older than what the feed holds: its frames, and the id read up to. */
    private record OlderBatch(List<EventFrame> frames, long through, boolean last) {
    }

    /**
     * One client's stream: its history from the log, then what the feed hands it, written without blocking. Its state
     * is guarded by this; {@link #pump} runs on a writer thread only, so the container's threads (which call the
     * listener methods) never wait for it, and only one thread at a time touches the response.
     */
    private final class Subscriber implements WriteListener, AsyncListener {
        final Source source;
        /** Null on the fleet stream, which ends only when the client goes. */
        private final StreamEnd end;
        private final Predicate<String> visible;
        private final BlockingQueue<EventFrame> live = new ArrayBlockingQueue<>(properties.maxBehind() + 1);
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private final AtomicBoolean finished = new AtomicBoolean();
        private final long heartbeat = properties.heartbeat().toNanos();
        private volatile boolean cancelled;
        private volatile boolean cutOff;
        private volatile boolean expired;
        private volatile boolean heartbeatDue;
        /** The container has called {@link #onWritePossible}: the request thread is out of every filter. */
        private volatile boolean writable;
        private volatile long lastWrite;
        private long openedAt;
        private long lastId;
        private String lastStatus;
        /** The feed joined, and the id after which it served the history from memory; set by {@link #join}. */
        private Feed feed;
        private long recentFrom;
        /** The feed's frames, sent after the log's older ones; null once sent. */
        private List<EventFrame> recent;
        private OlderBatch older;
        private boolean olderDone;
        private boolean loading;
        private AsyncContext async;
        private ServletOutputStream out;
        private java.util.concurrent.ScheduledFuture<?> tick;

        Subscriber(Source source, long afterId, StreamEnd end, Predicate<String> visible) {
            this.source = source;
            this.lastId = afterId;
            this.end = end;
            this.visible = visible;
        }

        /**
         * On the request thread: joins the feed, commits the response's headers and hands the response to the
         * container's non-blocking writes. Nothing of the body is written before the request thread has left every
         * filter (they may still read the response; Tomcat's is not safe for two threads): the container calls
         * {@link #onWritePossible} only then.
         */
        synchronized void open(HttpServletRequest request, HttpServletResponse response) throws IOException {
            open.add(this);
            // The feed's newest frames, and from now on what it hands over is queued; what is older than those (a
            // client resuming far back) is read from the log.
            recent = join(this);
            olderDone = lastId >= recentFrom;
            // A client resuming after the status that ends its stream (an EventSource reconnecting) is done.
            lastStatus = lastId > 0 && end != null ? events.statusAsOf(source.key(), lastId) : null;
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
            // through the filters' wrappers, which add their headers as it commits (Spring Security's)
            response.flushBuffer();
            async = request.startAsync();
            // the stream ends itself at dind.events.max-stream-duration; this only bounds a stream the clock lost
            async.setTimeout(properties.maxStreamDuration().plus(properties.heartbeat()).plusMinutes(1).toMillis());
            async.addListener(this);
            openedAt = System.nanoTime();
            lastWrite = openedAt;
            tick = clock.schedule(this::tick, heartbeat, TimeUnit.NANOSECONDS);
            out = async.getResponse().getOutputStream();
            out.setWriteListener(this);
        }

        /** From the feed, on its thread or a committing one: never blocks. */
        void offer(EventFrame frame) {
            if (!visible.test(frame.fleetEvent().owner())) {
                return;
            }
            if (!cutOff && !live.offer(frame)) {
                cutOff();
            }
            schedule();
        }

        void cutOff() {
            cutOff = true;
            schedule();
        }

        /** Has a writer run {@link #pump} (once for any number of calls until it runs). */
        void schedule() {
            if (finished.get() || !scheduled.compareAndSet(false, true)) {
                return;
            }
            try {
                writers.execute(() -> {
                    scheduled.set(false);
                    pump();
                });
            } catch (RejectedExecutionException e) {
                scheduled.set(false); // shutting down
            }
        }

        @Override
        public void onWritePossible() {
            writable = true;
            schedule();
        }

        @Override
        public void onError(Throwable t) {
            cancelled = true;
            schedule();
        }

        @Override
        public void onComplete(AsyncEvent event) {
            cancelled = true;
            schedule();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            onError(event);
        }

        @Override
        public void onError(AsyncEvent event) {
            cancelled = true;
            // completing here keeps the container from an error dispatch through the filters and MVC
            try {
                event.getAsyncContext().complete();
            } catch (IllegalStateException e) {
                log.debug("event stream {} completed already", source.key());
            }
            schedule();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }

        /**
         * On the clock: a heartbeat when idle, and the end at dind.events.max-stream-duration. A client that takes
         * nothing at all is the container's to close: its write timeout (the connector's connection timeout) ends a
         * write that has waited that long, as it did a blocking one.
         */
        private void tick() {
            if (finished.get()) {
                return;
            }
            long now = System.nanoTime();
            long left = properties.maxStreamDuration().toNanos() - (now - openedAt);
            if (left <= 0) {
                expired = true;
            }
            long idle = now - lastWrite;
            if (idle >= heartbeat) {
                heartbeatDue = true;
            }
            if (expired || heartbeatDue) {
                schedule();
            }
            long next = idle >= heartbeat ? heartbeat : heartbeat - idle;
            if (left > 0) {
                next = Math.min(next, left);
            }
            try {
                tick = clock.schedule(this::tick, Math.max(next, TimeUnit.MILLISECONDS.toNanos(1)),
                        TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                log.debug("event stream {}: the clock has stopped", source.key());
            }
        }

        /**
         * Writes whatever is due, for as long as the client's socket takes it without blocking: the history (from the
         * log, then the feed's frames), then the end or the reconnect, else the live frames or a heartbeat.
         */
        private synchronized void pump() {
            if (finished.get()) {
                return;
            }
            if (cancelled) {
                finish();
                return;
            }
            if (!writable) {
                return;
            }
            try {
                while (!cancelled) {
                    if (!out.isReady()) {
                        return; // the container calls onWritePossible when it can take more
                    }
                    if (older != null) {
                        OlderBatch batch = older;
                        older = null;
                        send(batch.frames(), false);
                        lastId = Math.max(lastId, batch.through()); // the invisible ones are skipped, not missed
                        olderDone = batch.last();
                        continue;
                    }
                    if (!olderDone) {
                        if (!loading) {
                            loading = true;
                            readers.execute(this::readOlder);
                        }
                        return;
                    }
                    if (recent != null) {
                        List<EventFrame> frames = recent.stream()
                                .filter(f -> visible.test(f.fleetEvent().owner())).toList();
                        recent = null;
                        send(frames, false);
                        continue;
                    }
                    if (end != null && end.endsAt(lastStatus)) {
                        finish();
                        return;
                    }
                    String farewell = farewell();
                    if (farewell != null) {
                        write(("retry:" + RECONNECT.toMillis() + "\n:" + farewell + "\n\n")
                                .getBytes(StandardCharsets.UTF_8));
                        finish();
                        return;
                    }
                    List<EventFrame> waiting = new ArrayList<>();
                    live.drainTo(waiting);
                    List<EventFrame> due = waiting.stream().filter(f -> f.id() > lastId).toList();
                    if (!due.isEmpty()) {
                        send(due, true);
                        continue;
                    }
                    if (heartbeatDue) {
                        heartbeatDue = false;
                        write(HEARTBEAT);
                        continue;
                    }
                    return;
                }
                finish();
            } catch (IOException | IllegalStateException e) {
                log.debug("event stream {} closed by the client: {}", source.key(), e.getMessage());
                finish();
            } catch (RuntimeException e) {
                log.warn("event stream {} failed", source.key(), e);
                finish();
            }
        }

        /** Why the stream is told to reconnect now, or null; counted. */
        private String farewell() {
            String reason = draining ? "draining" : cutOff ? "behind" : expired ? "duration" : null;
            if (reason == null) {
                return null;
            }
            io.micrometer.core.instrument.Counter.builder("dind.event.stream.cutoffs")
                    .description("Event streams this replica ended early, told to reconnect: behind (it fell "
                            + "dind.events.max-behind events behind), draining (shutting down) or duration (open "
                            + "dind.events.max-stream-duration)")
                    .tag("reason", reason).register(meters).increment();
            return switch (reason) {
                case "draining" -> "this replica is shutting down: reconnect with Last-Event-ID to resume";
                case "behind" -> "this stream fell behind: reconnect with Last-Event-ID to resume";
                default -> "this stream has been open for dind.events.max-stream-duration: reconnect with "
                        + "Last-Event-ID to resume";
            };
        }

        /** On a reader: the next batch of the history from the log, up to where the feed's frames begin. */
        private void readOlder() {
            long after;
            synchronized (this) {
                after = lastId;
            }
            try {
                List<EventLog.FleetEvent> batch = source.after().apply(after);
                List<EventFrame> frames = new ArrayList<>(batch.size());
                long read = after;
                for (EventLog.FleetEvent event : batch) {
                    if (event.event().id() > recentFrom) {
                        break;
                    }
                    read = event.event().id();
                    if (visible.test(event.owner())) {
                        frames.add(frame(event));
                    }
                }
                synchronized (this) {
                    older = new OlderBatch(frames, read, batch.size() < BATCH || read >= recentFrom);
                    loading = false;
                }
            } catch (RuntimeException e) {
                log.warn("event stream {}: reading its history failed; it is told to reconnect", source.key(), e);
                synchronized (this) {
                    olderDone = true;
                    loading = false;
                }
                cutOff = true;
            }
            schedule();
        }

        /**
         * Writes the frames in one write. Live ones stop at the status that ends the stream (the history is sent
         * whole, as the log has it).
         */
        private void send(List<EventFrame> frames, boolean live) throws IOException {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            for (EventFrame frame : frames) {
                if (live && end != null && end.endsAt(lastStatus)) {
                    break;
                }
                text.writeBytes(frame.utf8());
                lastId = frame.id();
                if (frame.event().type() == EventType.STATUS) {
                    lastStatus = frame.event().status();
                }
            }
            if (text.size() > 0) {
                write(text.toByteArray());
            }
        }

        /** One non-blocking write: what the socket does not take now, the container sends when it can. */
        private void write(byte[] bytes) throws IOException {
            out.write(bytes);
            if (out.isReady()) {
                out.flush();
            }
            lastWrite = System.nanoTime();
        }

        /** Ends the stream and gives back what it holds; once, from any state. */
        synchronized void finish() {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            open.remove(this);
            if (tick != null) {
                tick.cancel(false);
            }
            if (feed != null) {
                leave(feed, this);
            }
            slots.release();
            if (async != null) {
                try {
                    async.complete();
                } catch (IllegalStateException e) {
                    log.debug("event stream {} completed already", source.key());
                }
            }
        }
    }
}
