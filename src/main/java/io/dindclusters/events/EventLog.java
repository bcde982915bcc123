package io.dindclusters.events;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The persisted, per-cluster event log. Numbers come from a counter on the cluster row, so appends for one cluster
 * commit in number order even across replicas, and a reader that saw event n has seen every event before it.
 * Readers wait on an in-process signal and also re-read on a short interval, for events other processes write.
 */
@Component
public class EventLog {

    /** Longest message kept; command output beyond this is cut. */
    static final int MAX_MESSAGE = 8000;

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final Map<String, Set<Runnable>> listeners = new ConcurrentHashMap<>();

    EventLog(JdbcClient jdbc, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    /**
     * Appends an event, joining the caller's transaction if there is one. The transaction is explicit, not an
     * annotation, because {@link #log} calls this method on {@code this}, past any proxy: the counter update and the
     * insert must be atomic however this is called, or concurrent appends would share a number.
     */
    public ClusterEvent append(String clusterId, EventType type, String status, String step, Long durationMs,
                               String message) {
        return transaction.execute(tx -> appendInTransaction(clusterId, type, status, step, durationMs, null, message));
    }

    /** A status event; {@code attempt} is the provisioning attempt the cluster is in (null before the first). */
    public ClusterEvent status(String clusterId, String status, Integer attempt, String message) {
        return transaction.execute(tx -> appendInTransaction(clusterId, EventType.STATUS, status, null, null, attempt,
                message));
    }

    private ClusterEvent appendInTransaction(String clusterId, EventType type, String status, String step,
                                             Long durationMs, Integer attempt, String message) {
        // The row lock this update takes is held until commit: appends to one cluster queue up here.
        jdbc.sql("UPDATE clusters SET last_event_seq = last_event_seq + 1 WHERE id = ?").param(clusterId).update();
        long seq = jdbc.sql("SELECT last_event_seq FROM clusters WHERE id = ?").param(clusterId)
                .query(Long.class).single();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + " [cut]" : message;
        jdbc.sql("""
                        INSERT INTO cluster_events (cluster_id, seq, created_at, type, status, step, duration_ms, attempt,
                                                    message)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(clusterId, seq, Timestamp.from(now), type.name(), status, step, durationMs, attempt, text)
                .update();
        signalAfterCommit(clusterId);
        return new ClusterEvent(seq, now, type, status, step, durationMs, attempt, text);
    }

    public ClusterEvent log(String clusterId, String step, String message) {
        return append(clusterId, EventType.LOG, null, step, null, message);
    }

    /** Events of a cluster with an id above {@code afterId}, oldest first, at most {@code limit}. */
    public List<ClusterEvent> after(String clusterId, long afterId, int limit) {
        return jdbc.sql("""
                        SELECT seq, created_at, type, status, step, duration_ms, attempt, message FROM cluster_events
                        WHERE cluster_id = ? AND seq > ? ORDER BY seq LIMIT ?""")
                .params(clusterId, afterId, limit)
                .query((rs, i) -> new ClusterEvent(rs.getLong("seq"),
                        rs.getTimestamp("created_at").toInstant(),
                        EventType.valueOf(rs.getString("type")),
                        rs.getString("status"),
                        rs.getString("step"),
                        (Long) rs.getObject("duration_ms", Long.class),
                        (Integer) rs.getObject("attempt", Integer.class),
                        rs.getString("message")))
                .list();
    }

    /** The id of the cluster's newest committed event; 0 when it has none. */
    long lastId(String clusterId) {
        return jdbc.sql("SELECT COALESCE(MAX(seq), 0) FROM cluster_events WHERE cluster_id = ?").param(clusterId)
                .query(Long.class).single();
    }

    /** The status the cluster's newest status event up to {@code uptoId} says; null when there is none. */
    String statusAsOf(String clusterId, long uptoId) {
        return jdbc.sql("""
                        SELECT status FROM cluster_events WHERE cluster_id = ? AND type = 'STATUS' AND seq <= ?
                        ORDER BY seq DESC LIMIT 1""")
                .params(clusterId, uptoId).query(String.class).optional().orElse(null);
    }

    /** Calls {@code listener} after each commit that adds events to the cluster; close the handle to stop. */
    AutoCloseable listen(String clusterId, Runnable listener) {
        listeners.computeIfAbsent(clusterId, id -> ConcurrentHashMap.newKeySet()).add(listener);
        return () -> listeners.computeIfPresent(clusterId, (id, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    private void signalAfterCommit(String clusterId) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    signal(clusterId);
                }
            });
        } else {
            signal(clusterId);
        }
    }

    private void signal(String clusterId) {
        Set<Runnable> set = listeners.get(clusterId);
        if (set != null) {
            set.forEach(Runnable::run);
        }
    }
}
