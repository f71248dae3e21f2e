package io.sluice.api.windowing.assigners;

import io.sluice.api.windowing.TimeWindow;
import java.util.ArrayList;
import java.util.List;

/** The arithmetic shared by the sliding assigners. */
final class SlidingWindows {
    private SlidingWindows() {}

    /** The windows of {@code size} starting every {@code slide} that contain {@code timestamp}, latest first. */
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
