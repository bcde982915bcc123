package io.dindclusters.events;

import java.nio.charset.StandardCharsets;

/**
 * An event and its server-sent event text (id, event name, data) in UTF-8: rendered and encoded once, written to
 * every subscriber.
 */
record EventFrame(EventLog.FleetEvent fleetEvent, byte[] utf8) {

    EventFrame(EventLog.FleetEvent fleetEvent, String text) {
        this(fleetEvent, text.getBytes(StandardCharsets.UTF_8));
    }

    ClusterEvent event() {
        return fleetEvent.event();
    }

    long id() {
        return fleetEvent.event().id();
    }
}
