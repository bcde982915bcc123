package io.dindclusters.events;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A feed's newest frames, oldest first, at most {@code maxFrames} of them and {@code maxBytes} bytes of text:
 * the history a subscriber joining the feed is served from memory, so a thousand watchers attaching cost one read of
 * the log, not a thousand. Every event with an id above {@link #from()} and up to the newest added is here. Not
 * thread-safe: its feed guards it.
 */
final class RecentFrames {

    private final int maxFrames;
    private final long maxBytes;
    private final ArrayDeque<EventFrame> frames = new ArrayDeque<>();
    private long bytes;
    private long from;

    /** @param from the id after which the frames added will be complete */
    RecentFrames(int maxFrames, long maxBytes, long from) {
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.from = from;
    }

    /** Adds the next frame (ids increase); the oldest go when it holds too many or too much. */
    void add(EventFrame frame) {
        frames.addLast(frame);
        bytes += frame.utf8().length;
        while (frames.size() > maxFrames || (bytes > maxBytes && frames.size() > 1)) {
            EventFrame oldest = frames.removeFirst();
            bytes -= oldest.utf8().length;
            from = oldest.id();
        }
    }

    /** Every event after this id is here. */
    long from() {
        return from;
    }

    /** The frames with ids above {@code afterId}, oldest first. */
    List<EventFrame> after(long afterId) {
        List<EventFrame> newer = new ArrayList<>();
        for (EventFrame frame : frames) {
            if (frame.id() > afterId) {
                newer.add(frame);
            }
        }
        return newer;
    }
}
