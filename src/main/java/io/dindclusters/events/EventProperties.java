package io.dindclusters.events;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Event streams.
 *
 * @param heartbeat         idle time after which a stream sends a comment, so proxies keep it open
 * @param pollInterval      how often a stream re-reads the log for events other processes wrote
 * @param maxStreamDuration longest a single stream stays open; it then ends with a retry field and a comment, and
 *                          clients reconnect with Last-Event-ID
 * @param maxStreams        streams open at once in this process; one more is refused (503 with Retry-After), not
 *                          waited for
 * @param maxBehind         live events a stream may have waiting to be written before it is cut off (told to
 *                          reconnect, which it does with Last-Event-ID), so that a client that does not read holds
 *                          nothing up for the others
 */
@ConfigurationProperties("dind.events")
public record EventProperties(
        @DefaultValue("15s") Duration heartbeat,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("2h") Duration maxStreamDuration,
        @DefaultValue("1000") int maxStreams,
        @DefaultValue("1000") int maxBehind) {
}
