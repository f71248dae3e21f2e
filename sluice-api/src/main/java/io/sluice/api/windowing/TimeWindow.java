package io.sluice.api.windowing;

import io.sluice.api.types.ImmutableTypeSerializer;
import io.sluice.api.types.TypeSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The time interval {@code [start, end)}: {@code start} inclusive, {@code end} exclusive, so
 * {@link #maxTimestamp()} is {@code end - 1}. Tumbling, sliding and session windows are time windows.
 *
 * @param start the first timestamp of the window (milliseconds)
 * @param end   the first timestamp after the window; greater than {@code start}
 */
public record TimeWindow(long start, long end) implements Window {

    public TimeWindow {
        if (end <= start) {
            throw new IllegalArgumentException("a time window needs start < end, was [" + start + ", " + end + ")");
        }
    }

    @Override
    public long maxTimestamp() {
        return end - 1;
    }

    // Written out: windowed state and timers compare windows on every access.
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof TimeWindow other && start == other.start && end == other.end;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(start) * 31 + Long.hashCode(end);
    }

    /**
     * Whether the two windows overlap or touch ({@code [0, 5)} and {@code [5, 10)} do): session windows that
     * intersect are merged, so records at most one gap apart share a session (as in Flink).
     */
    public boolean intersects(TimeWindow other) {
        return start <= other.end && end >= other.start;
    }

    /** The smallest window containing both. */
    public TimeWindow cover(TimeWindow other) {
        return new TimeWindow(Math.min(start, other.start), Math.max(end, other.end));
    }

    /**
     * The start of the window of size {@code windowSize} (a multiple of it, shifted by {@code offset}) that contains
     * {@code timestamp}; correct for negative timestamps too.
     */
    public static long windowStart(long timestamp, long offset, long windowSize) {
        return timestamp - Math.floorMod(timestamp - offset, windowSize);
    }

    /**
     * Merges overlapping or touching windows, for session assigners: sorts by start and calls {@code callback} once
     * per group of two or more distinct windows with the group and the window covering it.
     */
    public static void mergeWindows(Collection<TimeWindow> windows, MergingWindowAssigner.MergeCallback<TimeWindow> callback) {
        List<TimeWindow> sorted = new ArrayList<>(windows);
        sorted.sort(Comparator.comparingLong(TimeWindow::start));
        TimeWindow cover = null;
        Set<TimeWindow> group = new LinkedHashSet<>();
        for (TimeWindow candidate : sorted) {
            if (cover != null && cover.intersects(candidate)) {
                cover = cover.cover(candidate);
                group.add(candidate);
                continue;
            }
            if (group.size() > 1) {
                callback.merge(group, cover);
            }
            cover = candidate;
            group = new LinkedHashSet<>();
            group.add(candidate);
        }
        if (group.size() > 1) {
            callback.merge(group, cover);
        }
    }

    /** The serializer of time windows: two longs. */
    public static TypeSerializer<TimeWindow> serializer() {
        return Serializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "TimeWindow[" + start + ", " + end + ")";
    }

    private enum Serializer implements ImmutableTypeSerializer<TimeWindow> {
        INSTANCE;

        @Override
        public void serialize(TimeWindow value, DataOutput out) throws IOException {
            out.writeLong(value.start);
            out.writeLong(value.end);
        }

        @Override
        public TimeWindow deserialize(DataInput in) throws IOException {
            return new TimeWindow(in.readLong(), in.readLong());
        }

        @Override
        public String typeName() {
            return "TimeWindow";
        }
    }
}
