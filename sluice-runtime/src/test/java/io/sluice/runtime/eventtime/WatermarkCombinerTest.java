package io.sluice.runtime.eventtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The minimum over active inputs: idleness, returning inputs, removal, the end; then random sequences against a model. */
class WatermarkCombinerTest {

    /** Logs what the combiner reports. */
    static final class Log implements WatermarkCombiner.Listener {
        final List<String> events = new ArrayList<>();

        @Override
        public void onWatermark(long watermark) {
            events.add("wm " + (watermark == Long.MAX_VALUE ? "MAX" : String.valueOf(watermark)));
        }

        @Override
        public void onIdleChange(boolean idle) {
            events.add(idle ? "idle" : "active");
        }

        List<String> take() {
            List<String> copy = List.copyOf(events);
            events.clear();
            return copy;
        }
    }

    private final Log log = new Log();

    @Test
    void theMinimumOverActiveInputsRisesAndIdleInputsAreSkipped() throws Exception {
        WatermarkCombiner c = new WatermarkCombiner(log, 3);
        c.updateWatermark(0, 100);
        c.updateWatermark(1, 50);
        assertEquals(List.of(), log.take(), "input 2 is still at MIN");
        c.updateWatermark(2, 70);
        assertEquals(List.of("wm 50"), log.take());
        c.setIdle(1, true);
        assertEquals(List.of("wm 70"), log.take(), "the idle input no longer holds it back");
        c.updateWatermark(1, 60);
        assertEquals(List.of(), log.take(), "an idle input's watermark is remembered, not used");
        c.setIdle(2, true);
        assertEquals(List.of("wm 100"), log.take(), "input 0 alone");
        c.setIdle(0, true);
        assertEquals(List.of("idle"), log.take(), "nobody");
        assertTrue(c.isIdle());
        c.setIdle(1, false);
        assertEquals(List.of("active"), log.take(), "input 1 returns at 60, behind 100: the watermark stays");
        assertEquals(100, c.watermark());
        c.updateWatermark(1, 90);
        assertEquals(List.of(), log.take());
        c.updateWatermark(1, 130);
        assertEquals(List.of("wm 130"), log.take(), "caught up and passed");
    }

    @Test
    void anInputAtTheEndOfTimeBesideIdleOnesLeavesTheCombinationIdle() throws Exception {
        WatermarkCombiner c = new WatermarkCombiner(log, 2);
        c.updateWatermark(1, 40);
        c.setIdle(1, true);
        c.updateWatermark(0, Long.MAX_VALUE);
        assertEquals(List.of("idle"), log.take(), "not MAX: input 1 may still send data after 40");
        c.setIdle(1, false);
        c.updateWatermark(1, 45);
        assertEquals(List.of("active", "wm 40", "wm 45"), log.take());
        c.updateWatermark(1, Long.MAX_VALUE);
        assertEquals(List.of("wm MAX"), log.take(), "every input ended");
        c.removeInput(0);
        c.removeInput(1);
        assertEquals(List.of(), log.take());
    }

    @Test
    void removedInputsNoLongerCountAndTheEndBringsMax() throws Exception {
        WatermarkCombiner c = new WatermarkCombiner(log, 2);
        c.updateWatermark(0, 10);
        c.updateWatermark(1, 20);
        assertEquals(List.of("wm 10"), log.take());
        c.removeInput(0);
        assertEquals(List.of("wm 20"), log.take());
        c.setIdle(1, true);
        assertEquals(List.of("idle"), log.take());
        c.endOfInput();
        assertEquals(List.of("active", "wm MAX"), log.take(), "never a watermark while idle");
        c.updateWatermark(1, 500);
        c.setIdle(1, true);
        c.refresh();
        assertEquals(List.of(), log.take(), "nothing after the end");
    }

    @Test
    void addedInputsStartAtMinAndReuseRemovedNumbers() throws Exception {
        WatermarkCombiner c = new WatermarkCombiner(log);
        c.refresh();
        assertEquals(List.of("idle"), log.take(), "no input at all is idle");
        int a = c.addInput();
        assertEquals(List.of("active"), log.take());
        c.updateWatermark(a, 5);
        int b = c.addInput();
        c.updateWatermark(b, 3);
        assertEquals(List.of("wm 5"), log.take(), "b at MIN then 3 holds at 5 until it passes it");
        c.removeInput(a);
        assertEquals(List.of(), log.take(), "b at 3 is behind 5: no step back");
        assertEquals(a, c.addInput(), "a's number is free again");
        c.updateWatermark(b, 8);
        c.updateWatermark(a, 9);
        assertEquals(List.of("wm 8"), log.take());
    }

    /**
     * Random events on a few inputs, against a model kept in plain Java: after every event the combiner's watermark
     * is {@code max(previous, min over active inputs)}, what it reported are exactly the rises of that value and the
     * changes of "no input active", each reported watermark was the true minimum at that time, and "active" always
     * precedes a watermark that follows idleness.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7, 11, 2024, 31337, 5_000_000_017L})
    void randomEventsMatchTheModel(long seed) throws Exception {
        Random random = new Random(seed);
        int n = 1 + random.nextInt(5);
        WatermarkCombiner c = new WatermarkCombiner(log, n);
        long[] wm = new long[n];
        java.util.Arrays.fill(wm, Long.MIN_VALUE);
        int[] state = new int[n]; // 0 active, 1 idle, 2 removed
        long expected = Long.MIN_VALUE;
        boolean expectedIdle = false;
        boolean ended = false;
        for (int step = 0; step < 3_000 && !ended; step++) {
            int i = random.nextInt(n);
            int what = random.nextInt(10);
            String op;
            if (what < 6) {
                long w = random.nextInt(200) == 0 ? Long.MAX_VALUE
                        : wm[i] == Long.MIN_VALUE ? random.nextInt(100) : wm[i] + random.nextInt(40) - 10;
                op = "input " + i + " to " + w;
                c.updateWatermark(i, w);
                if (state[i] != 2 && w > wm[i]) {
                    wm[i] = w;
                    if (w == Long.MAX_VALUE) {
                        state[i] = 2; // the end of time: counts no more
                    }
                }
            } else if (what < 9) {
                boolean idle = random.nextBoolean();
                op = "input " + i + (idle ? " idle" : " active");
                c.setIdle(i, idle);
                if (state[i] != 2) {
                    state[i] = idle ? 1 : 0;
                }
            } else if (random.nextInt(20) == 0) {
                op = "remove input " + i;
                c.removeInput(i);
                state[i] = 2;
            } else {
                continue;
            }
            String context = "seed " + seed + ", step " + step + " (" + op + ")";
            long min = Long.MAX_VALUE;
            boolean anyActive = false;
            boolean anyLive = false;
            for (int k = 0; k < n; k++) {
                anyLive |= state[k] != 2;
                if (state[k] == 0) {
                    anyActive = true;
                    min = Math.min(min, wm[k]);
                }
            }
            List<String> want = new ArrayList<>();
            if (!anyLive) {
                // the last input that counted ended: the combination ends
                ended = true;
                if (expectedIdle) {
                    want.add("active");
                }
                if (expected != Long.MAX_VALUE) {
                    want.add("wm MAX");
                }
                expected = Long.MAX_VALUE;
                expectedIdle = false;
            } else if (anyActive == expectedIdle) {
                expectedIdle = !anyActive;
                want.add(expectedIdle ? "idle" : "active");
            }
            if (anyActive && min > expected) {
                expected = min;
                want.add("wm " + min);
            }
            assertEquals(want, log.take(), context);
            assertEquals(expected, c.watermark(), context);
            assertEquals(expectedIdle, c.isIdle(), context);
        }
        c.endOfInput();
        List<String> end = log.take();
        assertEquals(Long.MAX_VALUE, c.watermark(), "seed " + seed);
        assertTrue(end.isEmpty() || end.getLast().equals("wm MAX"), "seed " + seed + ": " + end);
    }
}
