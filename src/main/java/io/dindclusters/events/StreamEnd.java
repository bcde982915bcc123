package io.dindclusters.events;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where a cluster's event stream ends ({@code ?until=}), read from the status events the stream carries: every
 * status change is one, written in the same transaction as the change.
 */
public enum StreamEnd {
    /** Once the cluster is RUNNING, or can no longer be: FAILED or DELETED. What a CI job waits for. */
    RUNNING(Set.of("RUNNING", "FAILED", "DELETED")),
    /** Once nothing moves the cluster on its own: RUNNING, FAILED or DELETED (the default; today the same states). */
    SETTLED(Set.of("RUNNING", "FAILED", "DELETED")),
    /** Once the cluster is DELETED: follows a running cluster through its deletion or expiry. */
    DELETED(Set.of("DELETED"));

    private final Set<String> endStatuses;

    StreamEnd(Set<String> endStatuses) {
        this.endStatuses = endStatuses;
    }

    /** Whether a stream whose latest status event says {@code status} ends there. */
    public boolean endsAt(String status) {
        return status != null && endStatuses.contains(status);
    }

    /** running, settled or deleted, in any case; empty for anything else. */
    public static Optional<StreamEnd> parse(String value) {
        for (StreamEnd end : values()) {
            if (end.name().equals(value.trim().toUpperCase(Locale.ROOT))) {
                return Optional.of(end);
            }
        }
        return Optional.empty();
    }
}
