package io.dindclusters.cluster;

import io.dindclusters.events.EventLog;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * Answers {@code ?wait=} requests once their cluster has settled (RUNNING, FAILED or DELETED) or the wait ran out,
 * without holding a request thread: one thread looks at a waiting cluster's status as soon as this replica commits an
 * event of it (a CI job's create returns the moment its cluster runs, not up to a poll later), and at every waiting
 * cluster's four times a second for what other replicas do. Once the
 * replica has drained on its way down, every wait is answered at once with the cluster as it is and
 * {@code Retry-After}.
 */
@Component
public class ClusterWaiter {

    /** Seconds a client answered early because this replica shuts down is asked to wait before it asks again. */
    static final String RETRY_AFTER_SECONDS = "1";

    static final long POLL_MILLIS = 250;

    private record Waiting(String clusterId, DeferredResult<ResponseEntity<Cluster>> result,
                           Function<Cluster, ResponseEntity<Cluster>> response) {
    }

    private final ClusterService service;
    private final ClusterRepository repository;
    private final EventLog events;
    private final Map<Waiting, Boolean> waiting = new ConcurrentHashMap<>();
    private volatile boolean draining;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cluster-waiter");
        t.setDaemon(true);
        return t;
    });

    @org.springframework.beans.factory.annotation.Autowired
    ClusterWaiter(ClusterService service, ClusterRepository repository, EventLog events) {
        this(service, repository, events, Duration.ofMillis(POLL_MILLIS));
    }

    /** @param pollInterval how often every waiting cluster is looked at besides the looks its events prompt */
    ClusterWaiter(ClusterService service, ClusterRepository repository, EventLog events, Duration pollInterval) {
        this.service = service;
        this.repository = repository;
        this.events = events;
        poller.scheduleWithFixedDelay(this::poll, pollInterval.toMillis(), pollInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** The response for {@code clusterId} once it has settled, or as it is when {@code wait} has passed. */
    DeferredResult<ResponseEntity<Cluster>> await(String clusterId, Duration wait,
                                                  Function<Cluster, ResponseEntity<Cluster>> response) {
        var result = new DeferredResult<ResponseEntity<Cluster>>(wait.toMillis());
        var entry = new Waiting(clusterId, result, response);
        result.onTimeout(() -> complete(entry));
        AutoCloseable listening = events.listen(clusterId, event -> lookSoon(entry));
        result.onCompletion(() -> {
            waiting.remove(entry);
            close(listening);
        });
        waiting.put(entry, Boolean.TRUE);
        if (draining) {
            completeEarly(entry);
        } else {
            poll(entry);
        }
        return result;
    }

    /**
     * The replica shuts down: answers every wait now, and every later one at once, with the cluster as it is and
     * {@code Retry-After}, so that the client asks again (through a Service: another replica) instead of being cut off.
     */
    public void drain() {
        draining = true;
        waiting.keySet().forEach(this::completeEarly);
    }

    /** Waits wait again (a context stopped and started again). */
    public void resume() {
        draining = false;
    }

    private void completeEarly(Waiting entry) {
        try {
            ResponseEntity<Cluster> answer = entry.response().apply(service.get(entry.clusterId()));
            entry.result().setResult(ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                    .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).body(answer.getBody()));
        } catch (RuntimeException e) {
            entry.result().setErrorResult(e);
        }
    }

    /** Told on the committing thread, which must not wait or fail: the look is the poller's. */
    private void lookSoon(Waiting entry) {
        try {
            poller.execute(() -> poll(entry));
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // shutting down: the wait is answered by the drain or its timeout
        }
    }

    private static void close(AutoCloseable listening) {
        try {
            listening.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void poll() {
        waiting.keySet().forEach(this::poll);
    }

    private void poll(Waiting entry) {
        if (entry.result().isSetOrExpired()) {
            return;
        }
        try {
            if (repository.statusOf(entry.clusterId()).map(ClusterStatus::isSettled).orElse(true)) {
                complete(entry);
            }
        } catch (RuntimeException e) {
            entry.result().setErrorResult(e);
        }
    }

    private void complete(Waiting entry) {
        // setResult is a no-op once a result is set: the poller and the timeout may both get here.
        entry.result().setResult(entry.response().apply(service.get(entry.clusterId())));
    }

    @PreDestroy
    void stop() {
        poller.shutdownNow();
    }
}
