package io.sluice.api.windowing.assigners;

import io.sluice.api.windowing.TimeWindow;
import java.util.ArrayList;
import java.util.List;

/** The arithmetic shared by the sliding assigners. */
final class SlidingWindows {
    private SlidingWindows() {}

    /** The windows of {@code size} starting every {@code slide} that contain {@code timestamp}, latest first. */
    /**
     * The last windows {@link #containing} returned, handed out again while records fall into the same windows: most
     * consecutive records do, and the same window instances let state and timer lookups compare windows by identity
     * instead of by fields. One per assigner copy; an operator subtask uses its own copy on its task thread.
     */
    static final class Recent {
        private long firstStart = Long.MIN_VALUE;
        private long lastStart = Long.MIN_VALUE;
        private List<TimeWindow> windows;

        List<TimeWindow> containing(long timestamp, long size, long slide, long offset) {
            long last = TimeWindow.windowStart(timestamp, offset, slide);
            // The oldest window holding the timestamp: the smallest start > timestamp - size on the slide grid.
            long first = last - (last - (timestamp - size) - 1) / slide * slide;
            if (windows == null || last != lastStart || first != firstStart) {
                windows = java.util.Collections.unmodifiableList(SlidingWindows.containing(timestamp, size, slide, offset));
                lastStart = last;
                firstStart = first;
            }
            return windows;
        }
    }

    static List<TimeWindow> containing(long timestamp, long size, long slide, long offset) {
        List<TimeWindow> windows = new ArrayList<>((int) ((size + slide - 1) / slide));
        long lastStart = TimeWindow.windowStart(timestamp, offset, slide);
        for (long start = lastStart; start > timestamp - size; start -= slide) {
            windows.add(new TimeWindow(start, start + size));
        }
        return windows;
    }

    static void check(long size, long slide) {
        if (slide > size) {
            throw new IllegalArgumentException("the slide (" + slide + " ms) of sliding windows must not exceed their size ("
                    + size + " ms): records between windows would be dropped");
        }
    }
}
