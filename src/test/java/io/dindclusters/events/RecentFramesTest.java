package io.dindclusters.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentFramesTest {

    private static EventFrame frame(long id, int chars) {
        ClusterEvent event = new ClusterEvent(id, Instant.EPOCH, EventType.LOG, null, "test", null, null, "");
        return new EventFrame(new EventLog.FleetEvent(event, null), "x".repeat(chars));
    }

    private static List<Long> ids(List<EventFrame> frames) {
        return frames.stream().map(EventFrame::id).toList();
    }

    @Test
    void holdsEveryFrameAfterItsStartUntilFull() {
        RecentFrames recent = new RecentFrames(3, 1000, 4);
        assertThat(recent.after(0)).isEmpty();
        recent.add(frame(5, 10));
        recent.add(frame(6, 10));
        assertThat(recent.from()).isEqualTo(4);
        assertThat(ids(recent.after(0))).containsExactly(5L, 6L);
        assertThat(ids(recent.after(5))).containsExactly(6L);
        assertThat(recent.after(6)).isEmpty();
    }

    @Test
    void theOldestGoWhenItHoldsTooMany() {
        RecentFrames recent = new RecentFrames(3, 1000, 0);
        for (long id = 1; id <= 5; id++) {
            recent.add(frame(id, 10));
        }
        assertThat(ids(recent.after(0))).containsExactly(3L, 4L, 5L);
        assertThat(recent.from()).as("every event after 2 is held").isEqualTo(2);
    }

    @Test
    void theOldestGoWhenItHoldsTooMuchTextButTheNewestStays() {
        RecentFrames recent = new RecentFrames(100, 250, 0);
        recent.add(frame(1, 100));
        recent.add(frame(2, 100));
        recent.add(frame(3, 100));
        assertThat(ids(recent.after(0))).containsExactly(2L, 3L);
        assertThat(recent.from()).isEqualTo(1);
        recent.add(frame(4, 1000));
        assertThat(ids(recent.after(0))).as("one frame larger than the bound is still held").containsExactly(4L);
        assertThat(recent.from()).isEqualTo(3);
    }
}
