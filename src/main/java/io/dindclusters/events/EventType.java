package io.dindclusters.events;

/** What happened; the SSE {@code event:} field. */
public enum EventType {
    STATUS("status"),
    STEP_STARTED("step-started"),
    STEP_FINISHED("step-finished"),
    STEP_FAILED("step-failed"),
    LOG("log");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
