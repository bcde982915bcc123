package io.dindclusters.cluster;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Clusters and their labels in the database; plain SQL that H2 and PostgreSQL both run. */
@Repository
class ClusterRepository {

    private static final String COLUMNS =
            "id, name, owner, docker_host, status, status_reason, spec, nodes, support_containers, api_server, kubernetes_version, kubeconfig IS NOT NULL AS has_kubeconfig, version, created_at, updated_at, expires_at, containers_problem, running_since, provisioning_attempts, lost_attempts, node_name_prefix, pool, claimed_at";
    private static final TypeReference<List<Node>> NODE_LIST = new TypeReference<>() {
    };
    private static final TypeReference<List<SupportContainer>> SUPPORT_LIST = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    ClusterRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** @throws DuplicateKeyException when a live cluster already has this name or node name prefix */
    void insert(ClusterRow row) {
        jdbc.sql("""
                        INSERT INTO clusters (id, name, owner, docker_host, live_name, status, status_reason, spec, nodes,
                                              version, last_event_seq, created_at, updated_at, expires_at,
                                              node_name_prefix, live_node_name_prefix, pool)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)""")
                .params(row.id(), row.name(), row.owner(), row.dockerHost(), row.name(), row.status().name(), row.statusReason(),
                        json.writeValueAsString(row.spec()), json.writeValueAsString(row.nodes()), row.version(),
                        Timestamp.from(row.createdAt()), Timestamp.from(row.updatedAt()),
                        row.expiresAt() == null ? null : Timestamp.from(row.expiresAt()),
                        row.nodeNamePrefix(), row.nodeNamePrefix(), row.pool())
                .update();
        insertLabels(row.id(), row.spec().labels());
    }

    private void insertLabels(String id, Map<String, String> labels) {
        for (var label : labels.entrySet()) {
            jdbc.sql("INSERT INTO cluster_labels (cluster_id, label_key, label_value) VALUES (?, ?, ?)")
                    .params(id, label.getKey(), label.getValue()).update();
        }
    }

    /** The live cluster whose containers' names begin with {@code prefix}. */
    Optional<ClusterRow> findLiveByNodeNamePrefix(String prefix) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM clusters WHERE live_node_name_prefix = ?").param(prefix)
                .query(this::map).optional();
    }

    /** RUNNING clusters waiting in {@code pool}, longest ready first (they are the first to reach max-idle-age). */
    List<ClusterRow> idleInPool(String pool) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM clusters WHERE pool = ? AND claimed_at IS NULL AND owner = ? "
                        + "AND status = 'RUNNING' ORDER BY running_since, id")
                .params(pool, PoolNames.owner(pool)).query(this::map).list();
    }

    /** Every cluster some pool made that nobody has claimed and that is not DELETED yet. */
    List<ClusterRow> unclaimedPoolClusters() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM clusters WHERE pool IS NOT NULL AND claimed_at IS NULL "
                        + "AND status <> 'DELETED' ORDER BY created_at, id")
                .query(this::map).list();
    }

    /**
     * Hands an idle pool cluster to a caller: its owner, API name, spec, labels, expiry and kubeconfig. Conditional
     * on it still being idle in its pool and RUNNING, so of two claims one wins.
     *
     * @throws DuplicateKeyException when a live cluster already has this name
     */
    boolean claim(ClusterRow idle, String owner, ClusterSpec spec, String kubeconfig, Instant expiresAt, Instant now) {
        boolean claimed = jdbc.sql("""
                        UPDATE clusters SET owner = ?, name = ?, live_name = ?, spec = ?, expires_at = ?, claimed_at = ?,
                                            kubeconfig = COALESCE(?, kubeconfig), version = version + 1, updated_at = ?
                        WHERE id = ? AND owner = ? AND claimed_at IS NULL AND status = 'RUNNING'""")
                .params(owner, spec.name(), spec.name(), json.writeValueAsString(spec), Timestamp.from(expiresAt),
                        Timestamp.from(now), kubeconfig, Timestamp.from(now), idle.id(), idle.owner())
                .update() == 1;
        if (claimed) {
            jdbc.sql("DELETE FROM cluster_labels WHERE cluster_id = ?").param(idle.id()).update();
            insertLabels(idle.id(), spec.labels());
        }
        return claimed;
    }

    /** Counts a pool's hit or miss, for every replica to see. */
    void countPoolRequest(String pool, boolean hit) {
        String column = hit ? "hits" : "misses";
        if (jdbc.sql("UPDATE pool_counts SET " + column + " = " + column + " + 1 WHERE pool = ?").param(pool)
                .update() == 0) {
            jdbc.sql("INSERT INTO pool_counts (pool, hits, misses) VALUES (?, ?, ?)")
                    .params(pool, hit ? 1 : 0, hit ? 0 : 1).update();
        }
    }

    /** Each pool's hits and misses so far: pool to {hits, misses}. */
    Map<String, long[]> poolCounts() {
        Map<String, long[]> counts = new java.util.HashMap<>();
        jdbc.sql("SELECT pool, hits, misses FROM pool_counts")
                .query((ResultSet rs) -> {
                    counts.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
                });
        return counts;
    }

    Optional<ClusterRow> findById(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM clusters WHERE id = ?").param(id).query(this::map).optional();
    }

    /** The live cluster of that name, else the most recently created deleted one. */
    Optional<ClusterRow> findByName(String name) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM clusters WHERE name = ? ORDER BY live_name IS NULL, created_at DESC LIMIT 1")
                .param(name).query(this::map).optional();
    }

    List<ClusterRow> findByStatus(ClusterStatus status) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM clusters WHERE status = ? ORDER BY created_at")
                .param(status.name()).query(this::map).list();
    }

    /**
     * Clusters whose Docker objects exist or may soon: those still holding their network addresses (a FAILED one
     * that kept its containers, retainOnFailure, too).
     */
    List<ClusterRow> holdingAddresses() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM clusters WHERE status IN ('PENDING', 'PROVISIONING', 'RUNNING', "
                        + "'DELETING') OR (status = 'FAILED' AND containers_retained)")
                .query(this::map).list();
    }

    /** Whether the cluster keeps its containers while FAILED (retainOnFailure), until it is deleted. */
    void setContainersRetained(String id, boolean retained) {
        jdbc.sql("UPDATE clusters SET containers_retained = ? WHERE id = ?").params(retained, id).update();
    }

    boolean containersRetained(String id) {
        return jdbc.sql("SELECT containers_retained FROM clusters WHERE id = ?").param(id).query(Boolean.class)
                .optional().orElse(false);
    }

    /** Clusters not yet being deleted whose time to live ran out before {@code now}. */
    List<ClusterRow> expired(Instant now) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM clusters WHERE expires_at < ? "
                        + "AND status IN ('PENDING', 'PROVISIONING', 'RUNNING', 'FAILED') ORDER BY expires_at")
                .param(Timestamp.from(now)).query(this::map).list();
    }

    void updateExpiry(String id, Instant expiresAt, Instant now) {
        jdbc.sql("UPDATE clusters SET expires_at = ?, version = version + 1, updated_at = ? WHERE id = ?")
                .params(Timestamp.from(expiresAt), Timestamp.from(now), id).update();
    }

    /** The cluster an Idempotency-Key created, and the hash of the request that created it. */
    Optional<String[]> idempotencyKey(String key) {
        return jdbc.sql("SELECT cluster_id, request_hash FROM idempotency_keys WHERE idem_key = ?").param(key)
                .query((rs, i) -> new String[] {rs.getString(1), rs.getString(2)}).optional();
    }

    void insertIdempotencyKey(String key, String requestHash, String clusterId, Instant now) {
        jdbc.sql("INSERT INTO idempotency_keys (idem_key, request_hash, cluster_id, created_at) VALUES (?, ?, ?, ?)")
                .params(key, requestHash, clusterId, Timestamp.from(now)).update();
    }

    int forgetIdempotencyKeysBefore(Instant cutoff) {
        return jdbc.sql("DELETE FROM idempotency_keys WHERE created_at < ?").param(Timestamp.from(cutoff)).update();
    }

    /**
     * Claims the cluster's work for {@code replica} until {@code until}: only when nobody holds it, the claim ran
     * out, or {@code replica} holds it already. One conditional UPDATE, so two replicas never both win.
     */
    boolean claim(String id, String replica, Instant until, Instant now) {
        return jdbc.sql("""
                        UPDATE clusters SET claimed_by = ?, lease_until = ?
                        WHERE id = ? AND status IN ('PENDING', 'PROVISIONING', 'DELETING')
                          AND (claimed_by IS NULL OR claimed_by = ? OR lease_until < ?)""")
                .params(replica, Timestamp.from(until), id, replica, Timestamp.from(now)).update() == 1;
    }

    /** The heartbeat: extends every claim {@code replica} holds on work still to do. */
    int renewClaims(String replica, Instant until) {
        return jdbc.sql("""
                        UPDATE clusters SET lease_until = ?
                        WHERE claimed_by = ? AND status IN ('PENDING', 'PROVISIONING', 'DELETING')""")
                .params(Timestamp.from(until), replica).update();
    }

    /**
     * Ends {@code replica}'s claim now but keeps its name on it, so that the replica taking the work over at once
     * can say whose it was.
     */
    void expireClaim(String id, String replica, Instant past) {
        jdbc.sql("UPDATE clusters SET lease_until = ? WHERE id = ? AND claimed_by = ?")
                .params(Timestamp.from(past), id, replica).update();
    }

    void releaseClaim(String id, String replica) {
        jdbc.sql("UPDATE clusters SET claimed_by = NULL, lease_until = NULL WHERE id = ? AND claimed_by = ?")
                .params(id, replica).update();
    }

    /** Holds the allocation lock until the caller's transaction ends: one create at a time across replicas. */
    void lockAllocations() {
        jdbc.sql("SELECT name FROM service_locks WHERE name = 'allocation' FOR UPDATE").query(String.class).single();
    }

    /** Takes a lock row until the transaction ends, or returns false at once when another transaction holds it. */
    boolean tryLock(String name) {
        return jdbc.sql("SELECT name FROM service_locks WHERE name = ? FOR UPDATE SKIP LOCKED").param(name)
                .query(String.class).optional().isPresent();
    }

    /**
     * Work nobody holds: unclaimed, claimed by a replica whose lease ran out, or by {@code replica} itself. Each: id,
     * status, Docker host, the replica that held it last (null: nobody, or it handed the work back).
     */
    List<String[]> claimableWork(String replica, Instant now, int limit) {
        return jdbc.sql("""
                        SELECT id, status, docker_host, claimed_by FROM clusters
                        WHERE status IN ('PENDING', 'PROVISIONING', 'DELETING')
                          AND (claimed_by IS NULL OR claimed_by = ? OR lease_until < ?)
                        ORDER BY created_at LIMIT ?""")
                .params(replica, Timestamp.from(now), limit)
                .query((rs, i) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)})
                .list();
    }

    Optional<ClusterStatus> statusOf(String id) {
        return jdbc.sql("SELECT status FROM clusters WHERE id = ?").param(id)
                .query((rs, i) -> ClusterStatus.valueOf(rs.getString(1))).optional();
    }

    List<ClusterRow> find(ClusterQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM clusters c WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (query.owner() != null) {
            sql.append(" AND owner = ?");
            params.add(query.owner());
        }
        if (!query.statuses().isEmpty()) {
            sql.append(" AND status IN (").append(String.join(", ", query.statuses().stream().map(s -> "?").toList())).append(')');
            query.statuses().forEach(s -> params.add(s.name()));
        }
        for (Map.Entry<String, String> label : query.labels().entrySet()) {
            sql.append(" AND EXISTS (SELECT 1 FROM cluster_labels l WHERE l.cluster_id = c.id AND l.label_key = ? AND l.label_value = ?)");
            params.add(label.getKey());
            params.add(label.getValue());
        }
        if (query.after() != null) {
            sql.append(" AND (created_at < ? OR (created_at = ? AND id < ?))");
            Timestamp at = Timestamp.from(query.after().createdAt());
            params.add(at);
            params.add(at);
            params.add(query.after().id());
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        params.add(query.limit());
        return jdbc.sql(sql.toString()).params(params).query(this::map).list();
    }

    Map<ClusterStatus, Long> countByStatus() {
        Map<ClusterStatus, Long> counts = new java.util.EnumMap<>(ClusterStatus.class);
        for (ClusterStatus s : ClusterStatus.values()) {
            counts.put(s, 0L);
        }
        jdbc.sql("SELECT status, COUNT(*) FROM clusters GROUP BY status")
                .query((ResultSet rs) -> {
                    counts.put(ClusterStatus.valueOf(rs.getString(1)), rs.getLong(2));
                });
        return counts;
    }

    /** Compare-and-set on the version; false when someone else changed the row first. */
    boolean updateStatus(ClusterRow row, ClusterStatus status, String reason, Instant now) {
        return updateStatus(row, status, reason, now, row.provisioningAttempts(), row.lostAttempts());
    }

    /** The same, also setting how many provisioning attempts started and why those that count were lost. */
    boolean updateStatus(ClusterRow row, ClusterStatus status, String reason, Instant now, int provisioningAttempts,
                         List<String> lostAttempts) {
        return jdbc.sql("""
                        UPDATE clusters SET status = ?, status_reason = ?, live_name = ?, live_node_name_prefix = ?,
                                            version = version + 1,
                                            updated_at = ?,
                                            running_since = COALESCE(CAST(? AS TIMESTAMP WITH TIME ZONE), running_since),
                                            provisioning_attempts = ?, lost_attempts = ?
                        WHERE id = ? AND version = ?""")
                .params(status.name(), reason, status.isLive() ? row.name() : null,
                        status.isLive() ? row.nodeNamePrefix() : null, Timestamp.from(now),
                        status == ClusterStatus.RUNNING ? Timestamp.from(now) : null, provisioningAttempts,
                        lostAttempts.isEmpty() ? null : json.writeValueAsString(lostAttempts), row.id(), row.version())
                .update() == 1;
    }

    void updateContainers(String id, List<Node> nodes, List<SupportContainer> supportContainers, Instant now) {
        jdbc.sql("UPDATE clusters SET nodes = ?, support_containers = ?, version = version + 1, updated_at = ? WHERE id = ?")
                .params(json.writeValueAsString(nodes), json.writeValueAsString(supportContainers),
                        Timestamp.from(now), id).update();
    }

    /**
     * Records what is wrong with a RUNNING cluster's containers (null: nothing), only when that changed: of
     * replicas that find the same, one wins.
     *
     * @return whether this call changed it
     */
    boolean recordContainersProblem(String id, String problem) {
        return jdbc.sql("""
                        UPDATE clusters SET containers_problem = ?
                        WHERE id = ? AND status = 'RUNNING' AND containers_problem IS DISTINCT FROM ?""")
                .params(problem, id, problem).update() == 1;
    }

    /** Where users reach the cluster's API server, its version and kubeconfig; all null to forget them. */
    void updateKubernetes(String id, String apiServer, String kubernetesVersion, String kubeconfig, Instant now) {
        jdbc.sql("""
                        UPDATE clusters SET api_server = ?, kubernetes_version = ?, kubeconfig = ?, version = version + 1,
                                            updated_at = ?
                        WHERE id = ?""")
                .params(apiServer, kubernetesVersion, kubeconfig, Timestamp.from(now), id).update();
    }

    Optional<String> kubeconfig(String id) {
        return jdbc.sql("SELECT kubeconfig FROM clusters WHERE id = ? AND kubeconfig IS NOT NULL").param(id)
                .query(String.class).optional();
    }

    private ClusterRow map(ResultSet rs, int row) throws SQLException {
        return new ClusterRow(rs.getString("id"), rs.getString("name"), rs.getString("owner"), rs.getString("docker_host"),
                json.readValue(rs.getString("spec"), ClusterSpec.class),
                ClusterStatus.valueOf(rs.getString("status")), rs.getString("status_reason"),
                json.readValue(rs.getString("nodes"), NODE_LIST),
                rs.getString("support_containers") == null ? List.of()
                        : json.readValue(rs.getString("support_containers"), SUPPORT_LIST),
                rs.getString("api_server"), rs.getString("kubernetes_version"), rs.getBoolean("has_kubeconfig"),
                rs.getLong("version"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                rs.getTimestamp("expires_at") == null ? null : rs.getTimestamp("expires_at").toInstant(),
                rs.getString("containers_problem"),
                rs.getTimestamp("running_since") == null ? null : rs.getTimestamp("running_since").toInstant(),
                rs.getInt("provisioning_attempts"),
                rs.getString("lost_attempts") == null ? List.of() : json.readValue(rs.getString("lost_attempts"), STRING_LIST),
                rs.getString("node_name_prefix"), rs.getString("pool"),
                rs.getTimestamp("claimed_at") == null ? null : rs.getTimestamp("claimed_at").toInstant());
    }
}
