package io.dindclusters.pool;

import io.dindclusters.api.InvalidField;
import io.dindclusters.api.InvalidRequestException;
import io.dindclusters.cluster.ClusterSpec;
import io.dindclusters.cluster.ClusterSpecDefaults;
import io.dindclusters.cluster.NodeImagePolicy;
import io.dindclusters.cluster.PoolNames;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * The configured pools, checked at start-up with the rules a POST body obeys (a pool the API would refuse stops the
 * service with the reason), and the matching of creates against them.
 */
@Component
public class Pools {

    private static final Pattern KEBAB = Pattern.compile("-([a-z0-9])");
    private static final int MAX_SIZE = 100;

    private final List<PoolDefinition> pools;
    private final Map<String, PoolDefinition> byName = new LinkedHashMap<>();

    Pools(PoolProperties properties, ClusterSpecDefaults defaults, NodeImagePolicy nodeImages, Validator validator,
          JsonMapper json) {
        // Property files give every value as text: read "0" as a number here, and nothing else leniently.
        JsonMapper lenient = json.rebuild()
                .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String,
                        CoercionAction.TryConvert))
                .withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.String,
                        CoercionAction.TryConvert))
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        for (int i = 0; i < properties.pools().size(); i++) {
            PoolDefinition pool = check("dind.pools[" + i + "]", properties.pools().get(i), lenient, validator,
                    defaults, nodeImages);
            if (byName.putIfAbsent(pool.name(), pool) != null) {
                throw new IllegalStateException("dind.pools[" + i + "].name: a pool named '" + pool.name()
                        + "' is configured already");
            }
        }
        this.pools = List.copyOf(byName.values()); // configuration order
    }

    private static PoolDefinition check(String at, PoolProperties.Pool pool, JsonMapper lenient, Validator validator,
                                        ClusterSpecDefaults defaults, NodeImagePolicy nodeImages) {
        String name = pool.name();
        if (name == null || name.length() > PoolNames.MAX_LENGTH || !name.matches(ClusterSpec.NAME_PATTERN)) {
            throw new IllegalStateException(at + ".name: must be a lowercase DNS label of at most "
                    + PoolNames.MAX_LENGTH + " characters (its clusters are named after it), not " + name);
        }
        at += " (" + name + ")";
        if (pool.size() < 0 || pool.size() > MAX_SIZE) {
            throw new IllegalStateException(at + ".size: must be from 0 to " + MAX_SIZE);
        }
        if (pool.maxIdleAge().compareTo(Duration.ofSeconds(5)) < 0) {
            throw new IllegalStateException(at + ".max-idle-age: must be at least 5 seconds");
        }
        ClusterSpec spec;
        try {
            spec = lenient.convertValue(camelCase(pool.spec() == null ? Map.of() : pool.spec()), ClusterSpec.class);
        } catch (RuntimeException e) {
            throw new IllegalStateException(at + ".spec is not a cluster spec as POST /clusters takes it: "
                    + e.getMessage(), e);
        }
        Set<ConstraintViolation<ClusterSpec>> violations = validator.validate(spec);
        if (!violations.isEmpty()) {
            throw new IllegalStateException(at + ".spec breaks the rules of a POST /clusters body: " + violations
                    .stream().map(v -> "spec." + v.getPropertyPath() + " " + v.getMessage()).sorted()
                    .collect(Collectors.joining("; ")));
        }
        for (var given : Map.of("name", Optional.ofNullable(spec.name()), "network",
                Optional.ofNullable(spec.network()), "pool", Optional.ofNullable(spec.pool())).entrySet()) {
            if (given.getValue().isPresent()) {
                throw new IllegalStateException(at + ".spec." + given.getKey() + ": cannot be set in a pool's spec ("
                        + (given.getKey().equals("network") ? "each of its clusters gets free blocks of its own"
                        : "the pool names its clusters") + ")");
            }
        }
        ClusterSpec filled;
        try {
            filled = defaults.apply(spec).withName(null);
            nodeImages.check(filled.nodeImage());
        } catch (RuntimeException e) {
            throw new IllegalStateException(at + ".spec is refused: " + (e instanceof ErrorResponse problem
                    ? problem.getBody().getDetail() : e.getMessage()), e);
        }
        return new PoolDefinition(name, spec, filled, pool.size(), pool.maxIdleAge());
    }

    /** ip-mode and ipMode alike, as Spring's relaxed binding leaves a map's keys. */
    private static Map<String, Object> camelCase(Map<String, Object> spec) {
        Map<String, Object> keys = new LinkedHashMap<>();
        spec.forEach((key, value) -> keys.put(key.equals("labels") || !key.contains("-") ? key
                : KEBAB.matcher(key).replaceAll(m -> m.group(1).toUpperCase()), value));
        return keys;
    }

    public List<PoolDefinition> all() {
        return pools;
    }

    public Optional<PoolDefinition> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The pool a request names, or 400 naming the pool field. */
    public PoolDefinition require(String name) {
        return named(name).orElseThrow(() -> new InvalidRequestException("pool", byName.isEmpty()
                ? "names no pool: this service has no warm pools"
                : "names no pool: this service has " + String.join(", ", byName.keySet()) + " (GET /pools)"));
    }

    /** Pools that may serve a create of {@code requested} (filled in: {@code defaulted}), in configuration order. */
    public List<PoolDefinition> matching(ClusterSpec requested, ClusterSpec defaulted) {
        return pools.stream().filter(p -> p.matches(requested, defaulted)).toList();
    }

    /** A request naming {@code pool}: what it left out comes from the pool's spec. */
    public ClusterSpec fillIn(PoolDefinition pool, ClusterSpec requested) {
        ClusterSpec c = pool.configured();
        boolean ownImage = requested.nodeImage() != null || requested.kubernetesVersion() != null;
        return new ClusterSpec(requested.name(),
                requested.ipMode() == null ? c.ipMode() : requested.ipMode(),
                requested.workers() == null ? c.workers() : requested.workers(),
                ownImage ? requested.nodeImage() : c.nodeImage(),
                requested.bootstrap() == null ? c.bootstrap() : requested.bootstrap(),
                requested.network(),
                requested.labels() == null ? c.labels() : requested.labels(),
                requested.ttl() == null ? c.ttl() : requested.ttl(),
                ownImage ? requested.kubernetesVersion() : c.kubernetesVersion(),
                requested.retainOnFailure() == null ? c.retainOnFailure() : requested.retainOnFailure(),
                pool.name());
    }

    /**
     * What a request naming {@code pool} gave (filled in: {@code defaulted}) must agree with the pool's spec, and it
     * names no network: 400 naming each field that does not.
     */
    public void requireAgreement(PoolDefinition pool, ClusterSpec requested, ClusterSpec defaulted) {
        List<InvalidField> wrong = new ArrayList<>();
        if (requested.network() != null) {
            wrong.add(new InvalidField("network", "cannot be given with pool: the pool's clusters have their "
                    + "networks already"));
        }
        for (PoolDefinition.Difference d : pool.differences(defaulted)) {
            String field = d.field().equals("nodeImage") && requested.kubernetesVersion() != null
                    ? "kubernetesVersion" : d.field();
            wrong.add(new InvalidField(field, "must be " + d.pools() + " as in pool '" + pool.name()
                    + "' (or be left out), not " + d.asked()));
        }
        if (!wrong.isEmpty()) {
            throw new InvalidRequestException(wrong);
        }
    }
}
