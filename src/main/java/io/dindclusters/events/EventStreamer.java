package io.dindclusters.events;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.thread.Threading;
import org.springframework.core.env.Environment;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Serves a cluster's event log as server-sent events: the history after the client's last event id, then live
 * events until the cluster settles. Each stream writes from its own (virtual, where available) thread, so a slow
 * client only ever delays itself; provisioning only appends to the log. When the replica shuts down, every stream
 * is told to reconnect (it resumes on another replica with Last-Event-ID) and ends.
 */
@Component
public class EventStreamer {

    private static final Logger log = LoggerFactory.getLogger(EventStreamer.class);
    private static final int BATCH = 500;

    private final EventLog events;
    private final EventProperties properties;
    private final SimpleAsyncTaskExecutor executor;
    private final Set<Stream> open = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    EventStreamer(EventLog events, EventProperties properties, Environment environment) {
        this.events = events;
        this.properties = properties;
        this.executor = new SimpleAsyncTaskExecutor("event-stream-");
        this.executor.setVirtualThreads(Threading.VIRTUAL.isActive(environment));
        this.executor.setConcurrencyLimit(properties.maxStreams());
        this.executor.setDaemon(true);
    }

    /**
     * @param afterId events with ids above this are sent
     * @param settled read before each batch: true once the cluster can produce no further events on its own
     */
    public SseEmitter stream(String clusterId, long afterId, BooleanSupplier settled) {
        SseEmitter emitter = new SseEmitter(properties.maxStreamDuration().toMillis());
        Stream stream = new Stream(clusterId, afterId, settled, emitter);
        emitter.onCompletion(stream::cancel);
        emitter.onTimeout(stream::cancel);
        emitter.onError(e -> stream.cancel());
        executor.execute(stream::run);
        return emitter;
    }

    /**
     * The replica shuts down: every stream, open now or opened later, sends what it has read, asks the client to
     * reconnect in {@link #RECONNECT} and ends. An EventSource reconnects by itself with Last-Event-ID.
     */
    public void drain() {
        draining = true;
        open.forEach(stream -> stream.wake.release());
    }

    /** Streams follow live events again (a context stopped and started again). */
    public void resume() {
        draining = false;
    }

    /** The SSE retry a client is given when this replica shuts down. */
    static final java.time.Duration RECONNECT = java.time.Duration.ofSeconds(1);

    private final class Stream {
        private final String clusterId;
        private final BooleanSupplier settled;
        private final SseEmitter emitter;
        private final Semaphore wake = new Semaphore(0);
        private volatile boolean cancelled;
        private long lastId;

        Stream(String clusterId, long afterId, BooleanSupplier settled, SseEmitter emitter) {
            this.clusterId = clusterId;
            this.lastId = afterId;
            this.settled = settled;
            this.emitter = emitter;
        }

        void cancel() {
            cancelled = true;
            wake.release();
        }

        void run() {
            open.add(this);
            try (AutoCloseable ignored = events.listen(clusterId, wake::release)) {
                long lastWrite = System.nanoTime();
                while (!cancelled) {
                    boolean settledBeforeRead = settled.getAsBoolean();
                    List<ClusterEvent> batch = events.after(clusterId, lastId, BATCH);
                    for (ClusterEvent event : batch) {
                        emitter.send(SseEmitter.event().id(Long.toString(event.id())).name(event.typeName())
                                .data(event, MediaType.APPLICATION_JSON));
                        lastId = event.id();
                    }
                    if (!batch.isEmpty()) {
                        lastWrite = System.nanoTime();
                    }
                    if (batch.size() < BATCH && settledBeforeRead) {
                        emitter.complete();
                        return;
                    }
                    if (draining) {
                        emitter.send(SseEmitter.event().reconnectTime(RECONNECT.toMillis())
                                .comment("this replica is shutting down: reconnect with Last-Event-ID to resume"));
                        emitter.complete();
                        return;
                    }
                    if (batch.size() == BATCH) {
                        continue;
                    }
                    if (System.nanoTime() - lastWrite >= properties.heartbeat().toNanos()) {
                        emitter.send(SseEmitter.event().comment("heartbeat"));
                        lastWrite = System.nanoTime();
                    }
                    wake.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                }
            } catch (IOException | IllegalStateException e) {
                log.debug("event stream of cluster {} closed by the client: {}", clusterId, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                emitter.complete();
            } catch (Exception e) {
                log.warn("event stream of cluster {} failed", clusterId, e);
                emitter.completeWithError(e);
            } finally {
                open.remove(this);
            }
        }
    }
}
