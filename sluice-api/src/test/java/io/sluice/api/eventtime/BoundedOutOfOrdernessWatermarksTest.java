package io.sluice.api.eventtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The "largest timestamp seen minus the bound minus 1" generator, against a plain-Java oracle. */
class BoundedOutOfOrdernessWatermarksTest {

    /** Collects what a generator emits; rejects watermarks that go back, as the runtime would ignore them. */
    static final class Emitted implements WatermarkOutput {
        final List<Long> watermarks = new ArrayList<>();
        int idle;
        int active;

        @Override
        public void emitWatermark(long watermark) {
            watermarks.add(watermark);
        }

        @Override
        public void markIdle() {
            idle++;
        }

        @Override
        public void markActive() {
            active++;
        }

        long last() {
            return watermarks.isEmpty() ? Long.MIN_VALUE : watermarks.getLast();
        }
    }

    /**
     * A random stream that is out of order by at most {@code bound}: each timestamp is at least the largest one so far
     * minus {@code bound}. Periodic emissions come at random points. Oracle: after each emission the watermark is the
     * largest timestamp so far minus the bound minus 1, and no later record is at or behind a watermark.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 1234, 99_999})
    void noRecordWithinTheBoundIsEverBehindTheWatermark(long seed) {
        Random random = new Random(seed);
        long bound = random.nextInt(4) == 0 ? 0 : random.nextInt(200);
        BoundedOutOfOrdernessWatermarks<String> generator = new BoundedOutOfOrdernessWatermarks<>(bound);
        Emitted out = new Emitted();
        long max = Long.MIN_VALUE;
        long ts = random.nextInt(1_000_000) - 500_000;
        int records = 5_000;
        int emissions = 0;
        for (int i = 0; i < records; i++) {
            if (max != Long.MIN_VALUE) {
                // within the bound: anywhere from max - bound up to a bit ahead of max
                ts = max - (bound == 0 ? 0 : random.nextLong(bound + 1)) + (random.nextBoolean() ? random.nextInt(30) : 0);
            }
            String context = "seed " + seed + ", bound " + bound + ", record " + i + " at " + ts;
            assertTrue(ts > out.last(), context + " is behind the watermark " + out.last());
            generator.onEvent("r" + i, ts, out);
            max = Math.max(max, ts);
            if (random.nextInt(10) == 0) {
                generator.onPeriodicEmit(out);
                emissions++;
                assertEquals(max - bound - 1, out.last(), context + ": watermark after a periodic emission");
            }
        }
        assertTrue(emissions > 100, "seed " + seed + ": too few emissions to mean anything");
        for (int i = 1; i < out.watermarks.size(); i++) {
            assertTrue(out.watermarks.get(i) >= out.watermarks.get(i - 1), "seed " + seed + ": watermarks went back");
        }
        assertEquals(0, out.idle + out.active, "seed " + seed + ": the generator never changes idleness");
    }

    @Test
    void aRecordExactlyTheBoundBehindIsStillOnTime() {
        BoundedOutOfOrdernessWatermarks<String> generator = new BoundedOutOfOrdernessWatermarks<>(10);
        Emitted out = new Emitted();
        generator.onEvent("a", 100, out);
        generator.onPeriodicEmit(out);
        assertEquals(List.of(89L), out.watermarks);
        assertTrue(90 > out.last(), "a record at 100 - 10 must not be late");
    }

    @Test
    void emitsOnlyPeriodicallyAndNothingBeforeTheFirstTimestamp() {
        BoundedOutOfOrdernessWatermarks<String> generator = new BoundedOutOfOrdernessWatermarks<>(5);
        Emitted out = new Emitted();
        generator.onPeriodicEmit(out);
        generator.onEvent("no timestamp", Long.MIN_VALUE, out);
        generator.onPeriodicEmit(out);
        assertEquals(List.of(), out.watermarks);
        generator.onEvent("a", 50, out);
        generator.onEvent("b", 70, out);
        assertEquals(List.of(), out.watermarks, "nothing per record");
        generator.onPeriodicEmit(out);
        generator.onEvent("late but within", 66, out);
        generator.onPeriodicEmit(out);
        assertEquals(List.of(64L, 64L), out.watermarks);
    }

    @Test
    void theWatermarkDoesNotUnderflowNearTheSmallestTimestamp() {
        BoundedOutOfOrdernessWatermarks<String> generator = new BoundedOutOfOrdernessWatermarks<>(Long.MAX_VALUE);
        Emitted out = new Emitted();
        generator.onEvent("a", -10, out);
        generator.onPeriodicEmit(out);
        assertEquals(List.of(), out.watermarks, "-10 - MAX - 1 is below Long.MIN_VALUE: nothing to emit");
        assertEquals(Long.MIN_VALUE, generator.currentWatermark());
        generator.onEvent("b", 5, out);
        generator.onPeriodicEmit(out);
        assertEquals(List.of(Long.MIN_VALUE + 5), out.watermarks, "5 - MAX - 1 is just representable");
        BoundedOutOfOrdernessWatermarks<String> small = new BoundedOutOfOrdernessWatermarks<>(3);
        small.onEvent("b", Long.MIN_VALUE + 2, out);
        assertEquals(Long.MIN_VALUE, small.currentWatermark());
        small.onEvent("c", Long.MIN_VALUE + 10, out);
        assertEquals(Long.MIN_VALUE + 6, small.currentWatermark());
    }

    @Test
    void aNegativeBoundIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new BoundedOutOfOrdernessWatermarks<>(-1));
    }
}
