package io.sluice.runtime.window;

import static io.sluice.runtime.window.WindowHarness.spec;
import static io.sluice.runtime.window.WindowTestFunctions.SUM;
import static java.time.Duration.ofMillis;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.api.functions.OutputTag;
import io.sluice.api.types.Types;
import io.sluice.api.windowing.ProcessWindowFunction;
import io.sluice.api.windowing.TimeWindow;
import io.sluice.api.windowing.assigners.EventTimeSessionWindows;
import io.sluice.api.windowing.assigners.ProcessingTimeSessionWindows;
import io.sluice.api.windowing.triggers.CountTrigger;
import io.sluice.runtime.window.WindowHarness.E;
import io.sluice.runtime.window.WindowHarness.Rec;
import io.sluice.runtime.window.WindowTestFunctions.StatsAggregate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Session windows: merging, its edge cases, lateness, trigger state, and snapshot/restore of the window set. */
class WindowSessionTest {
    static final OutputTag<E> LATE = new OutputTag<>("late", Types.of(E.class));

    /** {@code key[start,end):v1,v2} with the values sorted: merging does not promise an order. */
    static final ProcessWindowFunction<E, String, String, TimeWindow> SORTED = (key, ctx, elements, out) -> {
        List<Long> values = new ArrayList<>();
        elements.forEach(e -> values.add(e.value()));
        values.sort(null);
        out.collect(WindowTestFunctions.describe(key, ctx.window(),
                String.join(",", values.stream().map(String::valueOf).toList())));
    };

    private static WindowHarness sessions(long gap) throws Exception {
        return new WindowHarness(spec(k -> k.window(EventTimeSessionWindows.withGap(ofMillis(gap)))
                .sideOutputLateData(LATE).process(SORTED, Types.STRING)), "late");
    }

    @Test
    void aBridgingRecordMergesTwoSessionsIntoOneFiring() throws Exception {
        WindowHarness h = sessions(5);
        h.record("a", 0, 0).record("a", 9, 9);
        assertEquals(2, h.inFlightWindows("a"));
        assertEquals(2, h.contentsEntries());
        h.record("a", 4, 4); // [4,9) touches [0,5) and [9,14)
        assertEquals(1, h.inFlightWindows("a"));
        assertEquals(1, h.contentsEntries(), "the two sessions' contents were merged into one");
        h.watermark(12);
        assertEquals(List.of(), h.values(), "the timers of the merged sessions are gone");
        h.watermark(13);
        assertEquals(List.of("a[0,14):0,4,9"), h.values());
        assertEquals(0, h.contentsEntries());
        assertEquals(0, h.mergingSetEntries());
        assertEquals(0, h.timers());
    }

    @Test
    void recordsAGapApartShareASessionAndOneMoreApartDoNot() throws Exception {
        WindowHarness h = sessions(5);
        h.record("a", 0, 0).record("a", 5, 5).record("a", 11, 11).watermark(Long.MAX_VALUE);
        assertEquals(List.of("a[0,10):0,5", "a[11,16):11"), h.values());
    }

    @Test
    void equalTimestampsShareOneWindow() throws Exception {
        WindowHarness h = sessions(5);
        h.record("a", 1, 7).record("a", 2, 7).record("a", 3, 7);
        assertEquals(1, h.inFlightWindows("a"));
        assertEquals(1, h.contentsEntries());
        h.watermark(11);
        assertEquals(List.of("a[7,12):1,2,3"), h.values());
    }

    @Test
    void aRecordInsideASessionDoesNotChangeIt() throws Exception {
        WindowHarness h = sessions(5);
        h.record("a", 0, 0).record("a", 3, 3).record("a", 2, 2).watermark(7);
        assertEquals(List.of("a[0,8):0,2,3"), h.values());
        assertEquals(0, h.timers());
    }

    @Test
    void aLateRecordWithinLatenessExtendsAFiredSessionAndFiresItAgain() throws Exception {
        WindowHarness h = new WindowHarness(spec(k -> k.window(EventTimeSessionWindows.withGap(ofMillis(5)))
                .allowedLateness(ofMillis(10)).sideOutputLateData(LATE).process(SORTED, Types.STRING)), "late");
        h.record("a", 0, 0).record("a", 5, 5).watermark(9);
        assertEquals(List.of("a[0,10):0,5"), h.takeValues());
        h.watermark(12).record("a", 8, 8); // [8,13) merges into [0,10): [0,13), already due
        assertEquals(List.of(new Rec("a[0,13):0,5,8", 12)), h.output());
        h.takeValues();
        h.watermark(19);
        assertEquals(1, h.contentsEntries(), "kept until 12 + 10, not the old window's 9 + 10");
        h.record("a", 3, 3); // inside the session: fires it again
        assertEquals(List.of("a[0,13):0,3,5,8"), h.takeValues());
        h.watermark(22);
        assertEquals(0, h.contentsEntries());
        assertEquals(0, h.mergingSetEntries());
        assertEquals(0, h.timers());
        h.record("a", 2, 2); // its own session [2,7) ended 6 + 10 <= 22 ago
        assertEquals(List.of(new Rec(new E("a", 2), 2)), h.side("late"));
    }

    @Test
    void aRecordBehindTheWatermarkThatMergesIntoAnOpenSessionIsKept() throws Exception {
        WindowHarness h = sessions(5);
        h.record("a", 20, 20).watermark(18).record("a", 15, 15); // [15,20) touches the open [20,25)
        assertEquals(List.of(), h.side("late"));
        h.watermark(24);
        assertEquals(List.of("a[15,25):15,20"), h.values());
    }

    @Test
    void countTriggerStateIsMergedWithTheSessions() throws Exception {
        WindowHarness h = new WindowHarness(spec(k -> k.window(EventTimeSessionWindows.withGap(ofMillis(5)))
                .trigger(CountTrigger.of(3)).process(SORTED, Types.STRING)));
        h.record("a", 0, 0).record("a", 10, 10);
        assertEquals(List.of(), h.values());
        h.record("a", 5, 5); // merged count 1 + 1, plus this record: 3
        assertEquals(List.of("a[0,15):0,5,10"), h.values());
    }

    @Test
    void incrementalAggregatesMergeTheirAccumulators() throws Exception {
        WindowHarness agg = new WindowHarness(spec(k -> k.window(EventTimeSessionWindows.withGap(ofMillis(5)))
                .aggregate(new StatsAggregate())));
        WindowHarness reduce = new WindowHarness(spec(k -> k.window(EventTimeSessionWindows.withGap(ofMillis(5))).reduce(SUM)));
        for (WindowHarness h : List.of(agg, reduce)) {
            h.record("a", 3, 0).record("a", 7, 9).record("b", 1, 2).record("a", 5, 4).watermark(Long.MAX_VALUE);
            assertEquals(2, h.values().size(), h.values().toString());
        }
        assertEquals(List.of("n=1 sum=1 max=1", "n=3 sum=15 max=7"), agg.values().stream().map(String::valueOf).sorted().toList());
        assertEquals(List.of(new E("b", 1), new E("a", 15)), reduce.values());
    }

    @Test
    void theInFlightSessionsSurviveASnapshotAndRestore() throws Exception {
        WindowHarness h = sessions(5);
        h.record("a", 0, 0).record("a", 9, 9).record("b", 1, 1).watermark(3);
        WindowHarness restored = h.snapshotAndRestore();
        assertEquals(2, restored.inFlightWindows("a"));
        assertEquals(1, restored.inFlightWindows("b"));
        restored.record("a", 4, 4).watermark(Long.MAX_VALUE);
        assertEquals(List.of("b[1,6):1", "a[0,14):0,4,9"), restored.values());
        assertEquals(0, restored.timers());
    }

    @Test
    void processingTimeSessionsSurviveASnapshotAndRestore() throws Exception {
        WindowHarness h = new WindowHarness(spec(k -> k.window(ProcessingTimeSessionWindows.withGap(ofMillis(5)))
                .process(SORTED, Types.STRING)));
        h.record("a", 1, 0).clockTo(3).record("a", 2, 0);
        WindowHarness restored = h.snapshotAndRestore();
        restored.clockTo(6);
        assertEquals(List.of(), restored.values());
        restored.clockTo(7);
        assertEquals(List.of("a[0,8):1,2"), restored.values());
    }
}
