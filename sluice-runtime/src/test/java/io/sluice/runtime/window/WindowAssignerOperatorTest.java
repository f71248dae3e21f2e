package io.sluice.runtime.window;

import static io.sluice.runtime.window.WindowHarness.spec;
import static io.sluice.runtime.window.WindowTestFunctions.LIST;
import static io.sluice.runtime.window.WindowTestFunctions.SUM;
import static java.time.Duration.ofMillis;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.types.Types;
import io.sluice.api.windowing.assigners.EventTimeSessionWindows;
import io.sluice.api.windowing.assigners.ProcessingTimeSessionWindows;
import io.sluice.api.windowing.assigners.SlidingEventTimeWindows;
import io.sluice.api.windowing.assigners.SlidingProcessingTimeWindows;
import io.sluice.api.windowing.assigners.TumblingEventTimeWindows;
import io.sluice.api.windowing.assigners.TumblingProcessingTimeWindows;
import io.sluice.runtime.window.WindowHarness.E;
import io.sluice.runtime.window.WindowHarness.Rec;
import io.sluice.runtime.window.WindowHarness.Wm;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each built-in assigner driven through the window operator with records, watermarks and a manual clock. */
class WindowAssignerOperatorTest {

    private static List<Object> sorted(List<Object> values) {
        return values.stream().sorted((a, b) -> a.toString().compareTo(b.toString())).toList();
    }

    @Test
    void tumblingEventTimeWindowsFireWhenTheWatermarkPassesTheirEnd() throws Exception {
        WindowHarness h = new WindowHarness(spec(k -> k.window(TumblingEventTimeWindows.of(ofMillis(10))).process(LIST, Types.STRING)));
        h.record("a", 1, 1).record("a", 2, 9).record("b", 3, 5).record("a", 4, 10).record("a", 5, -3);
        h.watermark(-2);
        assertEquals(List.of(), h.values());
        h.watermark(-1);
        assertEquals(List.of("a[-10,0):5"), h.takeValues(), "negative timestamps round down");
        h.watermark(8);
        assertEquals(List.of(), h.values(), "[0,10) holds timestamp 9: not complete at watermark 8");
        h.watermark(9);
        assertEquals(List.of(new Rec("a[0,10):1,2", 9), new Rec("b[0,10):3", 9)),
                h.output().stream().sorted((x, y) -> x.toString().compareTo(y.toString())).toList(),
                "both keys fire, with timestamp maxTimestamp");
        h.takeValues();
        h.watermark(19);
        assertEquals(List.of("a[10,20):4"), h.takeValues());
        assertEquals(0, h.contentsEntries(), "fired windows are cleaned up");
        assertEquals(0, h.timers());
    }

    @Test
    void resultsComeBeforeTheWatermarkThatFiredThem() throws Exception {
        WindowHarness h = new WindowHarness(spec(k -> k.window(TumblingEventTimeWindows.of(ofMillis(10))).reduce(SUM)));
        h.record("a", 1, 3).watermark(5).watermark(12);
        assertEquals(List.of(new Wm(5), new Rec(new E("a", 1), 9), new Wm(12)), h.log());
    }

    @Test
    void tumblingWindowsWithAnOffset() throws Exception {
        WindowHarness h = new WindowHarness(spec(k -> k.window(TumblingEventTimeWindows.of(ofMillis(10), ofMillis(3)))
                .process(LIST, Types.STRING)));
        h.record("a", 1, 2).record("a", 2, 3).record("a", 3, 12).watermark(Long.MAX_VALUE);
        assertEquals(List.of("a[-7,3):1", "a[3,13):2,3"), h.values());
    }

    @Test
    void slidingEventTimeWindowsGetEveryRecordOfTheirRange() throws Exception {
        WindowHarness h = new WindowHarness(spec(k -> k.window(SlidingEventTimeWindows.of(ofMillis(10), ofMillis(5)))
                .process(LIST, Types.STRING)));
        h.record("a", 7, 7).record("a", 12, 12).record("a", 4, 4);
        h.watermark(4);
        assertEquals(List.of("a[-5,5):4"), h.takeValues());
        h.watermark(9);
        assertEquals(List.of("a[0,10):7,4"), h.takeValues());
        h.watermark(14);
        assertEquals(List.of("a[5,15):7,12"), h.takeValues());
        h.watermark(19);
        assertEquals(List.of("a[10,20):12"), h.takeValues());
        assertEquals(0, h.contentsEntries());
        assertEquals(0, h.timers());
    }

    @Test
    void slidingWindowsWhoseSlideDoesNotDivideTheSize() throws Exception {
        WindowHarness h = new WindowHarness(spec(k -> k.window(SlidingEventTimeWindows.of(ofMillis(10), ofMillis(4)))
                .reduce(SUM)));
        h.record("a", 1, 9).watermark(Long.MAX_VALUE);
        // windows [start, start+10) with start a multiple of 4 holding 9: starts 0, 4, 8
        assertEquals(List.of(new Rec(new E("a", 1), 9), new Rec(new E("a", 1), 13), new Rec(new E("a", 1), 17)), h.output());
    }

    @Test
    void eventTimeSessionsCloseAGapAfterTheirLastRecord() throws Exception {
        WindowHarness h = new WindowHarness(spec(k -> k.window(EventTimeSessionWindows.withGap(ofMillis(5)))
                .process(LIST, Types.STRING)));
        h.record("a", 1, 1).record("a", 3, 3).record("b", 2, 2).record("a", 20, 20);
        h.watermark(6);
        assertEquals(List.of("b[2,7):2"), h.takeValues());
        h.watermark(7);
        assertEquals(List.of("a[1,8):1,3"), h.takeValues());
        h.watermark(24);
        assertEquals(List.of("a[20,25):20"), h.takeValues());
        assertEquals(0, h.contentsEntries());
        assertEquals(0, h.mergingSetEntries(), "the in-flight window set is empty again");
        assertEquals(0, h.timers());
    }

    @Test
    void countWindowsFireEveryNRecordsPerKeyWithExactlyThoseRecords() throws Exception {
        WindowHarness h = new WindowHarness(spec(k -> k.countWindow(3).reduce(SUM)));
        for (int i = 1; i <= 7; i++) {
            h.record("a", i, i);
            if (i <= 4) {
                h.record("b", 10 * i, i);
            }
        }
        assertEquals(List.of(new Rec(new E("a", 6), Long.MAX_VALUE), new Rec(new E("b", 60), Long.MAX_VALUE),
                new Rec(new E("a", 15), Long.MAX_VALUE)), h.output(), "the global window's maxTimestamp is the end of time");
        h.takeValues();
        h.watermark(Long.MAX_VALUE);
        assertEquals(List.of(), h.values(), "an incomplete count window is not emitted");
    }

    @Test
    void tumblingProcessingTimeWindowsFollowTheClock() throws Exception {
        WindowHarness h = new WindowHarness(spec(k -> k.window(TumblingProcessingTimeWindows.of(ofMillis(10)))
                .process(LIST, Types.STRING)));
        h.clockTo(3).record("a", 1, Long.MIN_VALUE).clockTo(7).record("a", 2, 500).record("b", 3, -40);
        h.watermark(Long.MAX_VALUE);
        assertEquals(List.of(), h.values(), "watermarks do not fire processing-time windows");
        h.clockTo(8);
        assertEquals(List.of(), h.values());
        h.clockTo(9);
        assertEquals(List.of("a[0,10):1,2", "b[0,10):3"), sorted(h.takeValues()));
        h.clockTo(12).record("a", 4, 0).clockTo(25);
        assertEquals(List.of("a[10,20):4"), h.takeValues());
        assertEquals(0, h.contentsEntries());
        assertEquals(0, h.timers());
    }

    @Test
    void slidingProcessingTimeWindows() throws Exception {
        WindowHarness h = new WindowHarness(spec(k -> k.window(SlidingProcessingTimeWindows.of(ofMillis(10), ofMillis(5)))
                .process(LIST, Types.STRING)));
        h.clockTo(7).record("a", 1, 0).clockTo(9);
        assertEquals(List.of("a[0,10):1"), h.takeValues());
        h.clockTo(11).record("a", 2, 0).clockTo(14);
        assertEquals(List.of("a[5,15):1,2"), h.takeValues());
        h.clockTo(19);
        assertEquals(List.of("a[10,20):2"), h.takeValues());
    }

    @Test
    void processingTimeSessionsMergeByArrivalTime() throws Exception {
        WindowHarness h = new WindowHarness(spec(k -> k.window(ProcessingTimeSessionWindows.withGap(ofMillis(5)))
                .process(LIST, Types.STRING)));
        h.record("a", 1, 0).clockTo(3).record("a", 2, 0).clockTo(6);
        assertEquals(List.of(), h.values(), "the session was extended to [0,8)");
        h.clockTo(7);
        assertEquals(List.of("a[0,8):1,2"), h.takeValues());
        assertEquals(0, h.contentsEntries());
        assertEquals(0, h.mergingSetEntries());
        assertEquals(0, h.timers());
    }

    @Test
    void aRecordWithoutTimestampInAnEventTimeWindowFailsNamingTheFix() throws Exception {
        WindowHarness h = new WindowHarness(spec(k -> k.window(TumblingEventTimeWindows.of(ofMillis(10))).reduce(SUM)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> h.record("a", 1, Long.MIN_VALUE));
        assertTrue(e.getMessage().contains("no timestamp") && e.getMessage().contains("WatermarkStrategy"), e.getMessage());
    }
}
