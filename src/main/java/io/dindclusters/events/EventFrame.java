package io.dindclusters.events;

/**
 * An event and its server-sent event text (id, event name, data), as SseEmitter's builder writes it: rendered once,
 * written to every subscriber.
 */
record EventFrame(EventLog.FleetEvent fleetEvent, String text) {

    ClusterEvent event() {
        return fleetEvent.event();
    }

    long id() {
        return fleetEvent.event().id();
    }
}
