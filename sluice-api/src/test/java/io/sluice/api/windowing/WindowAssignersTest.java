package io.sluice.api.windowing;

import static java.time.Duration.ofMillis;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.types.TypeSerializer;
import io.sluice.api.windowing.assigners.EventTimeSessionWindows;
import io.sluice.api.windowing.assigners.SlidingEventTimeWindows;
import io.sluice.api.windowing.assigners.TumblingEventTimeWindows;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The built-in assigners and window arithmetic against brute force over seeded random inputs. */
class WindowAssignersTest {
    private static final WindowAssigner.AssignerContext NO_CLOCK = () -> {
        throw new AssertionError("event-time assigners do not read the clock");
    };

    /** Every window [s, s + size) with s ≡ offset (mod slide) holding ts, found by scanning. */
    private static Set<TimeWindow> bruteForce(long ts, long size, long slide, long offset) {
        Set<TimeWindow> windows = new HashSet<>();
        for (long s = ts - size - 2 * slide; s <= ts + slide; s++) {
            if (Math.floorMod(s - offset, slide) == 0 && s <= ts && ts < s + size) {
                windows.add(new TimeWindow(s, s + size));
            }
        }
        return windows;
    }

    @Test
    void tumblingAndSlidingWindowsAreExactlyThoseHoldingTheTimestamp() {
        long seed = 11;
        Random random = new Random(seed);
        for (int i = 0; i < 5000; i++) {
            long size = 1 + random.nextInt(40);
            long slide = 1 + random.nextInt((int) size);
            long offset = random.nextInt((int) slide) * (random.nextBoolean() ? 1 : -1);
            long ts = random.nextLong(-10_000, 10_000);
            String where = "seed " + seed + " case " + i + ": ts " + ts + " size " + size + " slide " + slide + " offset " + offset;
            assertEquals(bruteForce(ts, size, size, Math.floorMod(offset, size)),
                    new HashSet<>(TumblingEventTimeWindows.of(ofMillis(size), ofMillis(offset % size)).assignWindows("x", ts, NO_CLOCK)), where);
            List<TimeWindow> sliding = new ArrayList<>(SlidingEventTimeWindows.of(ofMillis(size), ofMillis(slide), ofMillis(offset))
                    .assignWindows("x", ts, NO_CLOCK));
            assertEquals(bruteForce(ts, size, slide, offset), new HashSet<>(sliding), where);
            assertEquals(sliding.size(), new HashSet<>(sliding).size(), where + ": no window twice");
        }
    }

    @Test
    void sessionMergingGroupsExactlyTheConnectedWindows() {
        long seed = 12;
        Random random = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            List<TimeWindow> windows = new ArrayList<>();
            int n = 1 + random.nextInt(8);
            for (int w = 0; w < n; w++) {
                long start = random.nextInt(60);
                windows.add(new TimeWindow(start, start + 1 + random.nextInt(10)));
            }
            // brute force: union-find over "intersects" (touching counts)
            int[] parent = new int[n];
            for (int a = 0; a < n; a++) {
                parent[a] = a;
            }
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    if (windows.get(a).intersects(windows.get(b))) {
                        parent[find(parent, a)] = find(parent, b);
                    }
                }
            }
            Map<Integer, Set<TimeWindow>> groups = new HashMap<>();
            for (int a = 0; a < n; a++) {
                groups.computeIfAbsent(find(parent, a), k -> new HashSet<>()).add(windows.get(a));
            }
            Map<TimeWindow, Set<TimeWindow>> expected = new HashMap<>();
            for (Set<TimeWindow> g : groups.values()) {
                if (g.size() > 1) {
                    long start = g.stream().mapToLong(TimeWindow::start).min().orElseThrow();
                    long end = g.stream().mapToLong(TimeWindow::end).max().orElseThrow();
                    expected.put(new TimeWindow(start, end), g);
                }
            }
            Map<TimeWindow, Set<TimeWindow>> actual = new HashMap<>();
            EventTimeSessionWindows.withGap(ofMillis(5)).mergeWindows(windows,
                    (toBeMerged, result) -> assertEquals(null, actual.put(result, new HashSet<>(toBeMerged))));
            assertEquals(expected, actual, "seed " + seed + " case " + i + ": " + windows);
        }
    }

    private static int find(int[] parent, int a) {
        while (parent[a] != a) {
            a = parent[a];
        }
        return a;
    }

    @Test
    void sessionWindowsStartAtTheRecord() {
        assertEquals(List.of(new TimeWindow(7, 12)),
                List.copyOf(EventTimeSessionWindows.withGap(ofMillis(5)).assignWindows("x", 7, NO_CLOCK)));
    }

    @Test
    void badSizesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> TumblingEventTimeWindows.of(ofMillis(0)));
        assertThrows(IllegalArgumentException.class, () -> TumblingEventTimeWindows.of(ofMillis(10), ofMillis(10)));
        assertThrows(IllegalArgumentException.class, () -> SlidingEventTimeWindows.of(ofMillis(5), ofMillis(10)));
        assertThrows(IllegalArgumentException.class, () -> EventTimeSessionWindows.withGap(ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> new TimeWindow(5, 5));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TumblingEventTimeWindows.of(ofMillis(10)).assignWindows("x", Long.MIN_VALUE, NO_CLOCK));
        assertTrue(e.getMessage().contains("no timestamp"), e.getMessage());
    }

    @Test
    void windowsRoundTripThroughTheirSerializers() throws Exception {
        assertEquals(new TimeWindow(-3, Long.MAX_VALUE), roundTrip(TimeWindow.serializer(), new TimeWindow(-3, Long.MAX_VALUE)));
        assertEquals(GlobalWindow.get(), roundTrip(GlobalWindow.serializer(), GlobalWindow.get()));
        assertEquals(Long.MAX_VALUE, GlobalWindow.get().maxTimestamp());
        assertEquals(9, new TimeWindow(0, 10).maxTimestamp());
    }

    private static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        serializer.serialize(value, new DataOutputStream(bytes));
        return serializer.deserialize(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }
}
