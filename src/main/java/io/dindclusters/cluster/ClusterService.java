package io.dindclusters.cluster;

import io.dindclusters.access.AuditLog;
import io.dindclusters.access.Caller;
import io.dindclusters.api.InvalidField;
import io.dindclusters.api.InvalidRequestException;
import io.dindclusters.docker.DockerEngineException;
import io.dindclusters.docker.DockerHost;
import io.dindclusters.docker.DockerHosts;
import io.dindclusters.events.EventStreamer;
import io.dindclusters.network.NetworkRules;
import io.dindclusters.pool.PoolDefinition;
import io.dindclusters.pool.PoolMeters;
import io.dindclusters.pool.Pools;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** What the API can do with clusters; provisioning itself happens in the provisioner, started by domain events. */
@Service
public class ClusterService {

    private static final Logger log = LoggerFactory.getLogger(ClusterService.class);

    private static final Pattern UUID_FORM =
            Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

    private final ClusterRepository repository;
    private final ClusterLifecycle lifecycle;
    private final ClusterSpecDefaults defaults;
    private final EventStreamer streamer;
    private final ApplicationEventPublisher publisher;
    private final TransactionTemplate transaction;
    private final SubnetAllocator subnets;
    private final DockerHostPlacement placement;
    private final DockerHosts hosts;
    private final ClusterProperties properties;
    private final QuotaProperties quotas;
    private final JsonMapper json;
    private final NodeImagePolicy nodeImages;
    private final AuditLog audit;
    private final io.dindclusters.preflight.HostPreflight preflight;
    private final Pools pools;
    private final PoolMeters poolMeters;
    private final Object allocationLock = new Object();

    ClusterService(ClusterRepository repository, ClusterLifecycle lifecycle, ClusterSpecDefaults defaults,
                   EventStreamer streamer, ApplicationEventPublisher publisher, TransactionTemplate transaction,
                   SubnetAllocator subnets, DockerHostPlacement placement, DockerHosts hosts,
                   ClusterProperties properties, QuotaProperties quotas, JsonMapper json, NodeImagePolicy nodeImages,
                   AuditLog audit, io.dindclusters.preflight.HostPreflight preflight, Pools pools,
                   PoolMeters poolMeters) {
        this.poolMeters = poolMeters;
        this.preflight = preflight;
        this.pools = pools;
        this.nodeImages = nodeImages;
        this.audit = audit;
        this.placement = placement;
        this.hosts = hosts;
        this.properties = properties;
        this.quotas = quotas;
        this.json = json;
        this.repository = repository;
        this.lifecycle = lifecycle;
        this.defaults = defaults;
        this.streamer = streamer;
        this.publisher = publisher;
        this.transaction = transaction;
        this.subnets = subnets;
    }

    /**
     * Stores a validated spec as a PENDING cluster; the provisioner starts once the row is committed. Allocation and
     * insertion are serialized, so two requests never get the same free block.
     */
    public Cluster create(ClusterSpec requested) {
        return create(requested, null, Caller.LOCAL).cluster();
    }

    /**
     * A created cluster, or the one an earlier request with the same Idempotency-Key created.
     *
     * @param missedPool the pool that could have served the create but had no ready cluster (null: none)
     */
    public record Created(Cluster cluster, boolean replayed, String missedPool) {
        Created(Cluster cluster, boolean replayed) {
            this(cluster, replayed, null);
        }
    }

    /**
     * As {@link #create(ClusterSpec)}, remembering {@code idempotencyKey} (when not null): the same key with the same
     * spec returns the cluster it created, with another spec a 422 problem.
     */
    public Created create(ClusterSpec requested, String idempotencyKey, Caller caller) {
        // Keys are per owner: two tenants' keys never meet.
        String key = idempotencyKey == null ? null : caller.owner() + ":" + idempotencyKey;
        String hash = key == null ? null : requestHash(requested);
        // One create at a time: in this process and across replicas (the lock row, held until commit).
        Created created;
        try {
            created = allocating(() -> {
                if (key != null) {
                    var earlier = repository.idempotencyKey(key);
                    if (earlier.isPresent()) {
                        if (!earlier.get()[1].equals(hash)) {
                            throw IdempotencyKeyReuseException.INSTANCE.get();
                        }
                        return new Created(get(earlier.get()[0]), true);
                    }
                }
                return createAllocated(requested, key, hash, caller);
            });
        } catch (DuplicateKeyException e) {
            String name = requested.name() == null ? "(generated)" : requested.name();
            String otherId = usingName(name).map(ClusterRow::id).orElse("unknown");
            throw nameTaken(name, otherId);
        }
        if (!created.replayed() && created.cluster().pooled()) {
            poolMeters.counted(created.cluster().pool(), true);
        } else if (!created.replayed() && created.missedPool() != null) {
            poolMeters.counted(created.missedPool(), false);
        }
        return created;
    }

    /**
     * Runs {@code work} as creates run: one at a time in this process (the monitor) and across replicas (the lock
     * row), in one transaction. Pool refills decide and act under it, so two replicas never overfill a pool and a
     * claim never meets a retirement.
     */
    public <T> T allocating(java.util.function.Supplier<T> work) {
        synchronized (allocationLock) {
            return transaction.execute(tx -> {
                repository.lockAllocations();
                return work.get();
            });
        }
    }

    /**
     * Runs inside the create transaction, with the allocation lock held: a ready cluster of a pool that matches (or
     * that the request names), else a cluster made on demand.
     */
    private Created createAllocated(ClusterSpec requested, String idempotencyKey, String requestHash, Caller caller) {
        PoolDefinition named = requested.pool() == null ? null : pools.require(requested.pool());
        ClusterSpec asked = named == null ? requested : pools.fillIn(named, requested);
        ClusterSpec defaulted = defaults.apply(asked);
        if (named != null) {
            pools.requireAgreement(named, requested, defaulted);
        }
        nodeImages.check(defaulted.nodeImage());
        List<ClusterRow> live = repository.holdingAddresses();
        List<PoolDefinition> candidates = named != null ? List.of(named) : pools.matching(requested, defaulted);
        for (PoolDefinition pool : candidates) {
            Optional<Cluster> claimed = claim(pool, defaulted, requested.name() != null, caller, live);
            if (claimed.isPresent()) {
                if (idempotencyKey != null) {
                    repository.insertIdempotencyKey(idempotencyKey, requestHash, claimed.get().id(),
                            ClusterLifecycle.now());
                }
                return new Created(claimed.get(), false);
            }
        }
        checkQuotas(caller.owner(), defaulted.workers() + 1, live);
        Cluster made = makeOnDemand(defaulted, caller.owner(), null, null, idempotencyKey, requestHash, live);
        String missed = candidates.isEmpty() ? null : candidates.get(0).name();
        if (missed != null) {
            repository.countPoolRequest(missed, false);
            lifecycle.log(made.id(), "warm pool " + missed + " had no ready cluster: made on demand");
        }
        return new Created(made, false, missed);
    }

    /**
     * Hands the caller the longest-ready cluster of {@code pool}, under the name, labels and ttl it asked for (the
     * containers keep theirs); empty when none is ready on a host that answers.
     */
    private Optional<Cluster> claim(PoolDefinition pool, ClusterSpec defaulted, boolean named, Caller caller,
                                    List<ClusterRow> live) {
        for (ClusterRow idle : repository.idleInPool(pool.name())) {
            if (!hostAnswers(idle) || idle.containersProblem() != null) {
                continue; // of no use now; the refill retires it once it is old
            }
            checkOwnerQuotas(caller.owner(), idle.nodeCount(), live);
            String name = named ? defaulted.name() : idle.name();
            if (!name.equals(idle.name())) {
                // nor the name another live cluster's containers carry: the name would point at the wrong ones
                usingName(name).filter(c -> !c.id().equals(idle.id())).ifPresent(other -> {
                    throw nameTaken(name, other.id());
                });
            }
            ClusterSpec spec = idle.spec().claimedAs(name, defaulted.labels(), defaulted.ttl(),
                    defaulted.retainOnFailure(), pool.name());
            String kubeconfig = name.equals(idle.nodeNamePrefix()) ? null : repository.kubeconfig(idle.id())
                    .map(k -> io.dindclusters.kube.Kubeconfigs.renamed(k, idle.nodeNamePrefix(), name)).orElse(null);
            var now = ClusterLifecycle.now();
            if (!repository.claim(idle, caller.owner(), spec, kubeconfig,
                    now.plus(ClusterTtl.parse(spec.ttl()).orElseThrow()), now)) {
                continue;
            }
            repository.countPoolRequest(pool.name(), true);
            lifecycle.log(idle.id(), "taken from warm pool " + pool.name() + " by owner " + caller.owner()
                    + (name.equals(idle.nodeNamePrefix()) ? ""
                    : " as '" + name + "'; its containers keep their names (" + idle.nodeNamePrefix() + "-...)"));
            return repository.findById(idle.id()).map(this::view);
        }
        return Optional.empty();
    }

    /**
     * Adds a cluster to {@code pool}: owned by the pool, placed and counted like any other (global quotas, not an
     * owner's). Call it within {@link #allocating}.
     */
    public Cluster addToPool(PoolDefinition pool) {
        List<ClusterRow> live = repository.holdingAddresses();
        checkQuotas(null, pool.filled().workers() + 1, live);
        // taken names are refused below, as for any generated name (one in about two billion)
        String name = ClusterSpecDefaults.generateName(pool.name());
        // Idle clusters must outlive max-idle-age (the refill replaces them then); the TTL is the backstop for a
        // pool that is no longer configured anywhere.
        var expiresAt = ClusterLifecycle.now().plus(pool.maxIdleAge().multipliedBy(2)).plus(java.time.Duration.ofHours(1));
        return makeOnDemand(pool.filled().withName(name), PoolNames.owner(pool.name()), pool.name(), expiresAt,
                null, null, live);
    }

    /** Tears down a cluster no create claimed; false when one did meanwhile, or it is being deleted already. */
    public boolean retireFromPool(String id, String reason) {
        ClusterRow row = repository.findById(id).orElse(null);
        if (row == null || !row.idleInPool() || row.status() == ClusterStatus.DELETING
                || row.status() == ClusterStatus.DELETED || !lifecycle.move(id, row.status(), ClusterStatus.DELETING,
                reason)) {
            return false;
        }
        publisher.publishEvent(new ClusterDeletionRequested(id));
        return true;
    }

    /** Every cluster a pool made that no create claimed and that is not DELETED, oldest first. */
    public List<Cluster> unclaimedPoolClusters() {
        return repository.unclaimedPoolClusters().stream().map(ClusterRow::toCluster).toList();
    }

    /** Hits and misses of every pool so far, on every replica: pool to {hits, misses}. */
    public Map<String, long[]> poolCounts() {
        return repository.poolCounts();
    }

    /** Clusters PENDING or PROVISIONING, on demand or for a pool, across replicas. */
    public long beingMade() {
        var counts = repository.countByStatus();
        return counts.get(ClusterStatus.PENDING) + counts.get(ClusterStatus.PROVISIONING);
    }

    /** The live cluster named {@code name}, or whose containers' names begin with it. */
    private Optional<ClusterRow> usingName(String name) {
        return repository.findByName(name).filter(c -> c.status().isLive())
                .or(() -> repository.findLiveByNodeNamePrefix(name));
    }

    /** A new PENDING cluster of {@code defaulted}'s kind; {@code pool} when a pool makes it for itself. */
    private Cluster makeOnDemand(ClusterSpec defaulted, String owner, String pool, java.time.Instant expiresAt,
                                 String idempotencyKey, String requestHash, List<ClusterRow> live) {
        usingName(defaulted.name()).ifPresent(other -> {
            throw nameTaken(defaulted.name(), other.id());
        });
        DockerHost host = null;
        ClusterSpec spec = null;
        boolean kubeadm = defaulted.bootstrap() == Bootstrap.kubeadm;
        for (DockerHost candidate : placement.candidates(defaulted.workers() + 1, kubeadm, defaulted.ipMode(), live)) {
            try {
                spec = defaulted.withNetwork(subnets.complete(defaulted, candidate, live));
                host = candidate;
                break;
            } catch (DockerEngineException e) {
                // Gone since its last check: the next host may take the cluster.
                log.warn("Docker host {} did not answer while placing a cluster: {}", candidate.name(), e.getMessage());
                candidate.markUnreachable(e.getMessage());
            }
        }
        if (host == null) {
            // every host is out now: throws, saying why
            placement.candidates(defaulted.workers() + 1, kubeadm, defaulted.ipMode(), live);
            throw new IllegalStateException("no Docker host took the cluster");
        }
        // Defaults and allocated blocks must obey the same rules as what the user wrote (a default DNS64 prefix
        // next to the user's private DNS server, say).
        List<InvalidField> broken = NetworkRules.check(spec.ipMode(), spec.network()).stream()
                .map(v -> new InvalidField(v.field(), v.message() + " (with the defaults filled in)")).toList();
        if (!broken.isEmpty()) {
            throw new InvalidRequestException(broken);
        }
        var now = ClusterLifecycle.now();
        var row = new ClusterRow(UUID.randomUUID().toString(), spec.name(), owner, host.name(), spec,
                ClusterStatus.PENDING, null,
                List.of(), List.of(), null, null, false, 0, now, now,
                expiresAt != null ? expiresAt : now.plus(ClusterTtl.parse(spec.ttl()).orElseThrow()), null, null, 0,
                List.of(), spec.name(), pool, null);
        repository.insert(row);
        if (idempotencyKey != null) {
            repository.insertIdempotencyKey(idempotencyKey, requestHash, row.id(), now);
        }
        lifecycle.recordStatus(row.id(), ClusterStatus.PENDING, 0,
                pool == null ? "cluster requested" : "made ahead of demand for warm pool " + pool);
        lifecycle.log(row.id(), "placed on Docker host " + host.name());
        for (var warning : preflight.warnings(host.name())) {
            lifecycle.log(row.id(), "Docker host " + host.name() + " warns in its preflight check " + warning.name()
                    + ": " + warning.seen());
        }
        publisher.publishEvent(new ClusterRequested(row.id()));
        return view(row);
    }

    public Cluster get(String idOrName) {
        return get(idOrName, Caller.LOCAL);
    }

    /** The cluster, if the caller may see it; others' clusters are not found, as if they did not exist. */
    public Cluster get(String idOrName, Caller caller) {
        return view(find(idOrName, caller));
    }

    public ClusterPage list(List<ClusterStatus> statuses, Map<String, String> labels, int limit, PageCursor after,
                            Caller caller) {
        List<ClusterRow> rows = repository.find(new ClusterQuery(caller.admin() ? null : caller.owner(), statuses,
                labels, limit + 1, after));
        boolean more = rows.size() > limit;
        List<Cluster> items = rows.stream().limit(limit).map(this::view).toList();
        String next = more ? new PageCursor(items.get(limit - 1).createdAt(), items.get(limit - 1).id()).encode() : null;
        return new ClusterPage(items, next, null);
    }

    /**
     * Starts the teardown of a cluster. Idempotent: a cluster already DELETING or DELETED is returned as it is.
     */
    public Cluster delete(String idOrName, Caller caller) {
        return delete(idOrName, "deletion requested", caller);
    }

    private Cluster delete(String idOrName, String reason, Caller caller) {
        ClusterRow row = find(idOrName, caller);
        for (int attempt = 0; attempt < 5; attempt++) {
            ClusterStatus current = row.status();
            if (current == ClusterStatus.DELETING || current == ClusterStatus.DELETED) {
                return view(row);
            }
            String id = row.id();
            Boolean moved = transaction.execute(tx -> {
                if (!lifecycle.move(id, current, ClusterStatus.DELETING, reason)) {
                    return false;
                }
                publisher.publishEvent(new ClusterDeletionRequested(id));
                return true;
            });
            row = repository.findById(id).orElseThrow(() -> new ClusterNotFoundException(idOrName));
            if (Boolean.TRUE.equals(moved)) {
                return view(row);
            }
        }
        throw new ClusterConflictException("Cluster is changing", "The cluster changed state several times while "
                + "the deletion was being recorded; try again.");
    }

    /**
     * Gives a cluster {@code ttl} more to live from now. Only clusters not being deleted can be extended.
     *
     * @throws InvalidRequestException when the TTL breaks a rule
     */
    public Cluster extend(String idOrName, String ttl, Caller caller) {
        String problem = ClusterTtl.problem(ttl, properties.maxTtl());
        if (problem != null) {
            throw new InvalidRequestException("ttl", problem);
        }
        ClusterRow row = find(idOrName, caller);
        if (row.status() == ClusterStatus.DELETING || row.status() == ClusterStatus.DELETED) {
            throw new ClusterConflictException("Cluster is being deleted",
                    "Cluster '" + row.name() + "' is " + row.status() + "; its time to live can no longer change.");
        }
        var now = ClusterLifecycle.now();
        var expiresAt = now.plus(ClusterTtl.parse(ttl).orElseThrow());
        transaction.executeWithoutResult(tx -> {
            repository.updateExpiry(row.id(), expiresAt, now);
            lifecycle.log(row.id(), "time to live set to " + ttl + " from now: expires at " + expiresAt);
        });
        return get(row.id());
    }

    /**
     * Deletes every cluster whose time to live ran out and returns how many; -1 when another replica is sweeping
     * (the sweep holds a lock row, so replicas sweep one at a time).
     */
    int deleteExpired() {
        Integer deleted = transaction.execute(tx -> repository.tryLock("expiry-sweep") ? deleteExpiredLocked() : -1);
        return deleted == null ? -1 : deleted;
    }

    private int deleteExpiredLocked() {
        int deleted = 0;
        for (ClusterRow row : repository.expired(ClusterLifecycle.now())) {
            if (!hostAnswers(row)) {
                continue; // its teardown could only fail; the sweep after the host answers again deletes it
            }
            try {
                delete(row.id(), "time to live (expired at " + row.expiresAt() + ")", Caller.LOCAL);
                audit.record("delete", row.owner(), row.id(), "expired");
                deleted++;
            } catch (RuntimeException e) {
                log.warn("could not delete expired cluster {}: {}", row.id(), e.getMessage());
            }
        }
        repository.forgetIdempotencyKeysBefore(ClusterLifecycle.now().minus(properties.idempotencyKeyRetention()));
        return deleted;
    }

    public String kubeconfig(String idOrName, Caller caller) {
        ClusterRow row = find(idOrName, caller);
        return repository.kubeconfig(row.id()).orElseThrow(() -> new ClusterConflictException("No kubeconfig yet",
                row.spec().bootstrap() == Bootstrap.none
                        ? "Cluster '" + row.name() + "' was created with bootstrap none: it runs no Kubernetes and has no kubeconfig."
                        : "Cluster '" + row.name() + "' is " + row.status() + " and has no kubeconfig yet."));
    }

    /** Starts the cluster's event stream as the response; returns once it is under way. */
    public void events(String idOrName, long afterId, io.dindclusters.events.StreamEnd end, Caller caller,
                       jakarta.servlet.http.HttpServletRequest request,
                       jakarta.servlet.http.HttpServletResponse response) {
        streamer.stream(find(idOrName, caller).id(), afterId, end, request, response);
    }

    private boolean hostAnswers(ClusterRow row) {
        return hosts.find(row.dockerHost()).map(host -> host.reachability().reachable()).orElse(false);
    }

    /** The API view of a row, saying so when its Docker host is out of reach (and it may still have containers). */
    private Cluster view(ClusterRow row) {
        Cluster cluster = row.toCluster();
        if (row.status() == ClusterStatus.DELETED) {
            return cluster;
        }
        DockerHost host = hosts.find(row.dockerHost()).orElse(null);
        if (host == null) {
            return cluster.withDockerHostProblem("Docker host " + row.dockerHost() + " is not configured (any more): "
                    + "this service cannot reach or remove the cluster's containers until it is configured again");
        }
        DockerHost.Reachability reachability = host.reachability();
        return reachability.reachable() ? cluster : cluster.withDockerHostProblem("Docker host " + host.name()
                + " has not answered since " + reachability.since() + ": " + reachability.problem());
    }

    private ClusterRow find(String idOrName, Caller caller) {
        Optional<ClusterRow> row = UUID_FORM.matcher(idOrName).matches()
                ? repository.findById(idOrName)
                : repository.findByName(idOrName);
        return row.filter(r -> caller.mayAccess(r.owner())).orElseThrow(() -> new ClusterNotFoundException(idOrName));
    }

    /**
     * Refuses a create of {@code nodes} nodes for {@code owner} that would go over a quota; a pool's own (null owner)
     * only the service's.
     */
    private void checkQuotas(String owner, int nodes, List<ClusterRow> live) {
        if (owner != null) {
            checkOwnerQuotas(owner, nodes, live);
        }
        check("max-clusters", quotas.maxClusters(), live.size(), 1,
                "the service has " + live.size() + " live clusters");
        check("max-nodes", quotas.maxNodes(), nodesOf(live), nodes,
                "the service has " + nodesOf(live) + " live nodes and this cluster asks for " + nodes + " more");
    }

    /** A claimed pool cluster counts for its new owner: the service's own quotas counted it already. */
    private void checkOwnerQuotas(String owner, int nodes, List<ClusterRow> live) {
        List<ClusterRow> owners = live.stream().filter(r -> r.owner().equals(owner)).toList();
        check("max-clusters-per-owner", quotas.maxClustersPerOwner(), owners.size(), 1,
                "owner '" + owner + "' has " + owners.size() + " live clusters");
        check("max-nodes-per-owner", quotas.maxNodesPerOwner(), nodesOf(owners), nodes,
                "owner '" + owner + "' has " + nodesOf(owners) + " live nodes and asks for " + nodes + " more");
    }

    private static void check(String name, int limit, int used, int asked, String situation) {
        if (limit > 0 && used + asked > limit) {
            throw new QuotaExceededException("dind.quotas." + name, situation + "; dind.quotas." + name + " is "
                    + limit + ". Delete clusters or wait for them to expire.");
        }
    }

    private static int nodesOf(List<ClusterRow> rows) {
        return rows.stream().mapToInt(ClusterRow::nodeCount).sum();
    }

    /** SHA-256 of the request as parsed (before defaults), so formatting and field order do not matter. */
    private String requestHash(ClusterSpec requested) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(json.writeValueAsString(requested).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ClusterConflictException nameTaken(String name, String otherId) {
        return new ClusterConflictException("Name in use",
                "The live cluster " + otherId + " already uses the name '" + name + "' (as its name, or as what its "
                        + "containers' names begin with); delete it or choose another name.");
    }
}
