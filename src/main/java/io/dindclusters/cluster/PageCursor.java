package io.dindclusters.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/** Position in the newest-first listing: the creation time and id of the last cluster of a page, opaque to clients. */
record PageCursor(Instant createdAt, String id) {

    String encode() {
        long micros = createdAt.getEpochSecond() * 1_000_000L + createdAt.getNano() / 1_000;
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((micros + "|" + id).getBytes(StandardCharsets.US_ASCII));
    }

    static Optional<PageCursor> decode(String text) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII).split("\\|", 2);
            long micros = Long.parseLong(parts[0]);
            String id = UUID.fromString(parts[1]).toString();
            return Optional.of(new PageCursor(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                    Math.floorMod(micros, 1_000_000L) * 1_000L), id));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
