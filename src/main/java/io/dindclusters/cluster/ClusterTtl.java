package io.dindclusters.cluster;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** A cluster's time to live: an ISO-8601 duration such as PT2H or P1D, from one minute to the configured maximum. */
final class ClusterTtl {

    static final Duration MIN = Duration.ofMinutes(1);

    private ClusterTtl() {
    }

    static Optional<Duration> parse(String text) {
        if (text == null || text.length() > 40) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Null when the TTL is acceptable, else the rule it breaks. */
    static String problem(String text, Duration max) {
        Optional<Duration> ttl = parse(text);
        if (ttl.isEmpty()) {
            return "must be an ISO-8601 duration such as PT2H or P1D";
        }
        if (ttl.get().compareTo(MIN) < 0 || ttl.get().compareTo(max) > 0) {
            return "must be from PT1M to " + max + " (dind.clusters.max-ttl)";
        }
        return null;
    }
}
