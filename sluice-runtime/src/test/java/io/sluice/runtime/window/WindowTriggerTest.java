package io.sluice.runtime.window;

import static io.sluice.runtime.window.WindowHarness.spec;
import static io.sluice.runtime.window.WindowTestFunctions.LIST;
import static io.sluice.runtime.window.WindowTestFunctions.SUM;
import static java.time.Duration.ofMillis;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.types.Types;
import io.sluice.api.windowing.TimeWindow;
import io.sluice.api.windowing.Trigger;
import io.sluice.api.windowing.TriggerResult;
import io.sluice.api.windowing.Window;
import io.sluice.api.windowing.assigners.EventTimeSessionWindows;
import io.sluice.api.windowing.assigners.TumblingEventTimeWindows;
import io.sluice.api.windowing.triggers.CountTrigger;
import io.sluice.api.windowing.triggers.EventTimeTrigger;
import io.sluice.api.windowing.triggers.ProcessingTimeTrigger;
import io.sluice.api.windowing.triggers.PurgingTrigger;
import io.sluice.runtime.window.WindowHarness.E;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Trigger results, trigger timers and trigger state, through the window operator. */
class WindowTriggerTest {

    /** Answers each record with the result its value's last digit names: 0 continue, 1 fire, 2 purge, 3 both. */
    static final class Scripted implements Trigger<E, Window> {
        @Override
        public TriggerResult onElement(E element, long timestamp, Window window, TriggerContext context) {
            return switch ((int) (element.value() % 10)) {
                case 0 -> TriggerResult.CONTINUE;
                case 1 -> TriggerResult.FIRE;
                case 2 -> TriggerResult.PURGE;
                case 3 -> TriggerResult.FIRE_AND_PURGE;
                default -> throw new IllegalArgumentException("no script for " + element);
            };
        }

        @Override
        public TriggerResult onEventTime(long time, Window window, TriggerContext context) {
            return TriggerResult.CONTINUE;
        }

        @Override
        public TriggerResult onProcessingTime(long time, Window window, TriggerContext context) {
            return TriggerResult.CONTINUE;
        }

        @Override
        public void clear(Window window, TriggerContext context) {}
    }

    /** Fires 2 ms after a window starts (an early result) and again at its end; deletes both timers on clear. */
    static final class EarlyAndOnTime implements Trigger<Object, TimeWindow> {
        @Override
        public TriggerResult onElement(Object element, long timestamp, TimeWindow window, TriggerContext context) {
            if (window.maxTimestamp() <= context.currentWatermark()) {
                return TriggerResult.FIRE;
            }
            if (window.start() + 2 > context.currentWatermark()) {
                context.registerEventTimeTimer(window.start() + 2);
            }
            context.registerEventTimeTimer(window.maxTimestamp());
            return TriggerResult.CONTINUE;
        }

        @Override
        public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext context) {
            return TriggerResult.FIRE;
        }

        @Override
        public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext context) {
            return TriggerResult.CONTINUE;
        }

        @Override
        public void clear(TimeWindow window, TriggerContext context) {
            context.deleteEventTimeTimer(window.start() + 2);
            context.deleteEventTimeTimer(window.maxTimestamp());
        }
    }

    private static void feedScript(WindowHarness h) throws Exception {
        for (long v : new long[] {10, 21, 30, 41, 52, 60, 73, 81}) {
            h.record("a", v, 5);
        }
    }

    @Test
    void everyTriggerResultOnAProcessFunction() throws Exception {
        WindowHarness h = new WindowHarness(spec(k -> k.window(TumblingEventTimeWindows.of(ofMillis(100)))
                .trigger(new Scripted()).process(LIST, Types.STRING)));
        feedScript(h);
        assertEquals(List.of(
                "a[0,100):10,21",         // FIRE keeps the contents
                "a[0,100):10,21,30,41",   // ... so the next firing sees them again
                // 52: PURGE drops them without output
                "a[0,100):60,73",         // FIRE_AND_PURGE emits, then drops
                "a[0,100):81"), h.values());
    }

    @Test
    void everyTriggerResultOnAnIncrementalReduce() throws Exception {
        WindowHarness h = new WindowHarness(spec(k -> k.window(TumblingEventTimeWindows.of(ofMillis(100)))
                .trigger(new Scripted()).reduce(SUM)));
        feedScript(h);
        assertEquals(List.of(new E("a", 31), new E("a", 102), new E("a", 133), new E("a", 81)), h.values());
        assertEquals(1, h.contentsEntries(), "one reduced value for the key and window");
    }

    @Test
    void triggerTimersArePerWindowAndDeletedWhenTheWindowIsCleared() throws Exception {
        WindowHarness h = new WindowHarness(spec(k -> k.window(TumblingEventTimeWindows.of(ofMillis(10)))
                .trigger(new EarlyAndOnTime()).process(LIST, Types.STRING)));
        h.record("a", 1, 1).record("a", 11, 11).watermark(2);
        assertEquals(List.of("a[0,10):1"), h.takeValues(), "early firing of [0,10) only");
        h.record("a", 5, 5).watermark(9);
        assertEquals(List.of("a[0,10):1,5"), h.takeValues());
        h.watermark(12);
        assertEquals(List.of("a[10,20):11"), h.takeValues());
        h.watermark(19);
        assertEquals(List.of("a[10,20):11"), h.takeValues());
        assertEquals(0, h.timers());
        assertEquals(0, h.contentsEntries());
    }

    @Test
    void countTriggerCountsPerWindowAndItsStateIsClearedWithTheWindow() throws Exception {
        WindowHarness h = new WindowHarness(spec(k -> k.window(TumblingEventTimeWindows.of(ofMillis(10)))
                .trigger(CountTrigger.of(2)).process(LIST, Types.STRING)));
        h.record("a", 1, 1).record("a", 11, 11).record("a", 2, 2).record("a", 3, 3);
        assertEquals(List.of("a[0,10):1,2"), h.takeValues(), "the record of [10,20) does not count for [0,10)");
        assertEquals(2, h.backend.entryCount("count-trigger"), "one count per window");
        h.watermark(Long.MAX_VALUE);
        assertEquals(List.of(), h.values(), "a count trigger does not fire at the window's end");
        assertEquals(0, h.backend.entryCount("count-trigger"), "trigger state goes with the window");
        assertEquals(0, h.contentsEntries());
    }

    @Test
    void purgingCountTriggerGivesEachFiringOnlyTheNewRecords() throws Exception {
        WindowHarness h = new WindowHarness(spec(k -> k.window(TumblingEventTimeWindows.of(ofMillis(100)))
                .trigger(PurgingTrigger.of(CountTrigger.of(2))).process(LIST, Types.STRING)));
        for (int v = 1; v <= 5; v++) {
            h.record("a", v, v);
        }
        assertEquals(List.of("a[0,100):1,2", "a[0,100):3,4"), h.values());
    }

    @Test
    void processingTimeTriggerOnEventTimeWindows() throws Exception {
        // Fires by the clock; the window's state still lives until the watermark passes its end.
        WindowHarness h = new WindowHarness(spec(k -> k.window(TumblingEventTimeWindows.of(ofMillis(10)))
                .trigger(ProcessingTimeTrigger.create()).process(LIST, Types.STRING)));
        h.record("a", 1, 1).clockTo(9);
        assertEquals(List.of("a[0,10):1"), h.takeValues());
        h.record("a", 2, 2).watermark(9);
        assertEquals(List.of(), h.values(), "the watermark only cleans up");
        assertEquals(0, h.contentsEntries());
    }

    @Test
    void aMergingAssignerNeedsATriggerThatCanMerge() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spec(k -> k
                .window(EventTimeSessionWindows.withGap(ofMillis(5))).trigger(new Scripted()).reduce(SUM)));
        assertTrue(e.getMessage().contains("merging"), e.getMessage());
    }

    @Test
    void eventTimeTriggerIsTheDefaultAndFiresLateRecordsAtOnce() throws Exception {
        WindowHarness h = new WindowHarness(spec(k -> k.window(TumblingEventTimeWindows.of(ofMillis(10)))
                .trigger(EventTimeTrigger.create()).allowedLateness(ofMillis(5)).reduce(SUM)));
        h.record("a", 1, 1).watermark(10);
        assertEquals(List.of(new E("a", 1)), h.takeValues());
        h.record("a", 2, 3);
        assertEquals(List.of(new E("a", 3)), h.takeValues(), "a late firing with the updated result");
    }
}
