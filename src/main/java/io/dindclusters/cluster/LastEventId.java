package io.dindclusters.cluster;

import io.dindclusters.api.InvalidRequestException;

/** The Last-Event-ID a reconnecting client sends (or, from a browser that cannot set it, the lastEventId parameter). */
final class LastEventId {

    private LastEventId() {
    }

    /** The id after which to send; 0 for a stream from the start. */
    static long parse(String header, String parameter) {
        String field = header != null ? "Last-Event-ID" : "lastEventId";
        String value = header != null ? header : parameter;
        if (value == null || value.isBlank()) {
            return 0;
        }
        long after;
        try {
            after = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(field, "must be the id of an event: a whole number");
        }
        if (after < 0) {
            throw new InvalidRequestException(field, "must not be negative");
        }
        return after;
    }
}
