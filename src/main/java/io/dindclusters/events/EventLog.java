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
    private final Map<String, Set<java.util.function.Consumer<ClusterEvent>>> listeners = new ConcurrentHashMap<>();
    /** Told after every commit that adds events to any cluster (the fleet sequencer). */
    private final Set<Runnable> appendListeners = ConcurrentHashMap.newKeySet();
    /** Told after the fleet sequencer numbered events (the fleet streams). */
    private final Set<Runnable> fleetListeners = ConcurrentHashMap.newKeySet();

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
        ClusterEvent event = new ClusterEvent(seq, now, type, status, step, durationMs, attempt, text);
        signalAfterCommit(clusterId, event);
        return event;
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
                .query((rs, i) -> event(rs, rs.getLong("seq"), null, null))
                .list();
    }

    /** An event row as the API shows it, with the id the stream numbers it by and, on the fleet stream, its cluster. */
    private static ClusterEvent event(java.sql.ResultSet rs, long id, String cluster, String clusterName)
            throws java.sql.SQLException {
        return new ClusterEvent(id, rs.getTimestamp("created_at").toInstant(), EventType.valueOf(rs.getString("type")),
                rs.getString("status"), rs.getString("step"), (Long) rs.getObject("duration_ms", Long.class),
                (Integer) rs.getObject("attempt", Integer.class), rs.getString("message"), cluster, clusterName);
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

    /**
     * Calls {@code listener} with each event this replica adds to the cluster, once it is committed, in commit order
     * per committing thread (on that thread: it must not block; two threads' events may come in either order); close
     * the handle to stop.
     */
    public AutoCloseable listen(String clusterId, java.util.function.Consumer<ClusterEvent> listener) {
        listeners.computeIfAbsent(clusterId, id -> ConcurrentHashMap.newKeySet()).add(listener);
        return () -> listeners.computeIfPresent(clusterId, (id, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    private void signalAfterCommit(String clusterId, ClusterEvent event) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    signal(clusterId, event);
                }
            });
        } else {
            signal(clusterId, event);
        }
    }

    private void signal(String clusterId, ClusterEvent event) {
        Set<java.util.function.Consumer<ClusterEvent>> set = listeners.get(clusterId);
        if (set != null) {
            set.forEach(listener -> listener.accept(event));
        }
        appendListeners.forEach(Runnable::run);
    }

    /** An event of the fleet stream: its fleet number as id, its cluster named; and who owns that cluster. */
    public record FleetEvent(ClusterEvent event, String owner) {
    }

    /** Events numbered for the fleet stream after {@code afterSeq}, in that order, with their clusters. */
    List<FleetEvent> fleetAfter(long afterSeq, int limit) {
        return jdbc.sql("""
                        SELECT e.fleet_seq, e.created_at, e.type, e.status, e.step, e.duration_ms, e.attempt, e.message,
                               c.id, c.name, c.owner
                        FROM cluster_events e JOIN clusters c ON c.id = e.cluster_id
                        WHERE e.fleet_seq > ? ORDER BY e.fleet_seq LIMIT ?""")
                .params(afterSeq, limit)
                .query((rs, i) -> new FleetEvent(event(rs, rs.getLong("fleet_seq"), rs.getString("id"),
                        rs.getString("name")), rs.getString("owner")))
                .list();
    }

    /** The newest fleet number; 0 before any. */
    long fleetLast() {
        return jdbc.sql("SELECT COALESCE(MAX(fleet_seq), 0) FROM cluster_events").query(Long.class).single();
    }

    /**
     * Numbers committed events that have no fleet number yet, oldest first, after the highest number given, in one
     * transaction under the sequencer's lock row; another replica holding it means it does the numbering.
     *
     * @return how many were numbered; -1 when another replica holds the lock
     */
    int numberForFleet(int limit) {
        Integer numbered = transaction.execute(tx -> {
            if (jdbc.sql("SELECT name FROM service_locks WHERE name = 'fleet-sequencer' FOR UPDATE SKIP LOCKED")
                    .query(String.class).optional().isEmpty()) {
                return -1;
            }
            List<Object[]> unnumbered = jdbc.sql("""
                            SELECT cluster_id, seq FROM cluster_events WHERE fleet_seq IS NULL
                            ORDER BY created_at, cluster_id, seq LIMIT ?""")
                    .param(limit).query((rs, i) -> new Object[] {rs.getString(1), rs.getLong(2)}).list();
            long next = fleetLast();
            for (Object[] key : unnumbered) {
                jdbc.sql("UPDATE cluster_events SET fleet_seq = ? WHERE cluster_id = ? AND seq = ?")
                        .params(++next, key[0], key[1]).update();
            }
            return unnumbered.size();
        });
        if (numbered != null && numbered > 0) {
            fleetListeners.forEach(Runnable::run);
        }
        return numbered == null ? -1 : numbered;
    }

    /** Calls {@code listener} after each commit that adds events to any cluster; close the handle to stop. */
    AutoCloseable listenToAppends(Runnable listener) {
        appendListeners.add(listener);
        return () -> appendListeners.remove(listener);
    }

    /** Calls {@code listener} after this process numbered events for the fleet stream; close the handle to stop. */
    AutoCloseable listenToFleet(Runnable listener) {
        fleetListeners.add(listener);
        return () -> fleetListeners.remove(listener);
    }
}
