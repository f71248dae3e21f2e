package io.sluice.runtime.window;

import static io.sluice.runtime.window.WindowHarness.spec;
import static io.sluice.runtime.window.WindowTestFunctions.LIST;
import static io.sluice.runtime.window.WindowTestFunctions.SUM;
import static java.time.Duration.ofMillis;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sluice.api.functions.OutputTag;
import io.sluice.api.types.Types;
import io.sluice.api.windowing.assigners.SlidingEventTimeWindows;
import io.sluice.api.windowing.assigners.TumblingEventTimeWindows;
import io.sluice.api.windowing.triggers.EventTimeTrigger;
import io.sluice.api.windowing.triggers.PurgingTrigger;
import io.sluice.runtime.window.WindowHarness.E;
import io.sluice.runtime.window.WindowHarness.Rec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Allowed lateness, late firings, the late-data side output, dropping, and cleanup of window state. */
class WindowLatenessTest {
    static final OutputTag<E> LATE = new OutputTag<>("late", Types.of(E.class));

    @Test
    void withoutLatenessARecordForAFiredWindowGoesToTheSideOutput() throws Exception {
        WindowHarness h = new WindowHarness(spec(k -> k.window(TumblingEventTimeWindows.of(ofMillis(10)))
                .sideOutputLateData(LATE).reduce(SUM)), "late");
        h.record("a", 1, 1).watermark(9);
        assertEquals(List.of(new E("a", 1)), h.takeValues());
        h.record("a", 2, 5);      // [0,10) has fired and is gone
        h.record("a", 3, 12);     // ahead of the watermark
        h.record("a", 4, 9);      // the last timestamp of [0,10): late too
        h.record("b", 5, 3);      // another key's [0,10) never existed, but is past: late
        assertEquals(List.of(new Rec(new E("a", 2), 5), new Rec(new E("a", 4), 9), new Rec(new E("b", 5), 3)), h.side("late"),
                "late records keep their own timestamps");
        h.watermark(19);
        assertEquals(List.of(new E("a", 3)), h.takeValues());
        assertEquals(2 + 3, h.counters.recordsOut, "records out counts fired results and late records");
        assertEquals(0, h.operator.lateRecordsDropped());
    }

    @Test
    void aRecordBehindTheWatermarkWhoseWindowIsOpenIsNotLate() throws Exception {
        WindowHarness h = new WindowHarness(spec(k -> k.window(TumblingEventTimeWindows.of(ofMillis(10)))
                .sideOutputLateData(LATE).reduce(SUM)), "late");
        h.watermark(7).record("a", 1, 2).record("a", 2, 7).watermark(9);
        assertEquals(List.of(new E("a", 3)), h.values());
        assertEquals(List.of(), h.side("late"));
    }

    @Test
    void withLatenessLateRecordsFireAgainUntilTheWindowIsCleanedUp() throws Exception {
        WindowHarness h = new WindowHarness(spec(k -> k.window(TumblingEventTimeWindows.of(ofMillis(10)))
                .allowedLateness(ofMillis(5)).sideOutputLateData(LATE).reduce(SUM)), "late");
        h.record("a", 1, 1).watermark(9);
        assertEquals(List.of(new Rec(new E("a", 1), 9)), h.output());
        h.takeValues();
        h.record("a", 2, 5);
        assertEquals(List.of(new Rec(new E("a", 3), 9)), h.output(), "a late firing with the whole updated window");
        h.takeValues();
        h.watermark(13).record("a", 4, 2);
        assertEquals(List.of(new E("a", 7)), h.takeValues());
        assertEquals(1, h.contentsEntries(), "kept until maxTimestamp + lateness = 14");
        h.watermark(14);
        assertEquals(List.of(), h.values(), "cleanup does not fire");
        assertEquals(0, h.contentsEntries());
        assertEquals(0, h.timers());
        h.record("a", 8, 3);
        assertEquals(List.of(new Rec(new E("a", 8), 3)), h.side("late"));
        assertEquals(List.of(), h.values());
    }

    @Test
    void aPurgingTriggerMakesLateFiringsCarryOnlyTheLateRecords() throws Exception {
        WindowHarness h = new WindowHarness(spec(k -> k.window(TumblingEventTimeWindows.of(ofMillis(10)))
                .trigger(PurgingTrigger.of(EventTimeTrigger.create())).allowedLateness(ofMillis(100))
                .process(LIST, Types.STRING)));
        h.record("a", 1, 1).record("a", 2, 2).watermark(9).record("a", 3, 3).record("a", 4, 4);
        assertEquals(List.of("a[0,10):1,2", "a[0,10):3", "a[0,10):4"), h.values());
    }

    @Test
    void withoutASideOutputLateRecordsAreDroppedAndCounted() throws Exception {
        WindowHarness h = new WindowHarness(spec(k -> k.window(TumblingEventTimeWindows.of(ofMillis(10))).reduce(SUM)));
        h.record("a", 1, 1).watermark(9).record("a", 2, 5).record("a", 3, 0);
        assertEquals(List.of(new E("a", 1)), h.values());
        assertEquals(2, h.operator.lateRecordsDropped());
        assertEquals(1, h.counters.recordsOut);
    }

    @Test
    void aSlidingRecordLateForSomeWindowsGoesIntoTheOthers() throws Exception {
        WindowHarness h = new WindowHarness(spec(k -> k.window(SlidingEventTimeWindows.of(ofMillis(10), ofMillis(5)))
                .sideOutputLateData(LATE).process(LIST, Types.STRING)), "late");
        h.record("a", 1, 1).watermark(9);
        assertEquals(List.of("a[-5,5):1", "a[0,10):1"), h.takeValues());
        h.record("a", 7, 7); // [0,10) is past; [5,15) is open
        assertEquals(List.of(), h.side("late"));
        h.watermark(14);
        assertEquals(List.of("a[5,15):7"), h.takeValues());
    }

    @Test
    void latenessNearTheEndOfTimeDoesNotOverflow() throws Exception {
        WindowHarness h = new WindowHarness(spec(k -> k.window(TumblingEventTimeWindows.of(ofMillis(10)))
                .allowedLateness(Duration.ofMillis(Long.MAX_VALUE)).sideOutputLateData(LATE).reduce(SUM)), "late");
        h.record("a", 1, 1).watermark(Long.MAX_VALUE - 1).record("a", 2, 2);
        assertEquals(List.of(new E("a", 1), new E("a", 3)), h.values(), "never late, so never cleaned up by time");
        assertEquals(List.of(), h.side("late"));
    }

    @Test
    void negativeLatenessIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> spec(k -> k.window(TumblingEventTimeWindows.of(ofMillis(10)))
                .allowedLateness(ofMillis(-1)).reduce(SUM)));
    }
}
