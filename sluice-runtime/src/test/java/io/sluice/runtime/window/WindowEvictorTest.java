package io.sluice.runtime.window;

import static io.sluice.runtime.window.WindowHarness.spec;
import static io.sluice.runtime.window.WindowTestFunctions.LIST;
import static io.sluice.runtime.window.WindowTestFunctions.SUM;
import static java.time.Duration.ofMillis;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.api.types.Types;
import io.sluice.api.windowing.assigners.EventTimeSessionWindows;
import io.sluice.api.windowing.assigners.TumblingEventTimeWindows;
import io.sluice.api.windowing.evictors.CountEvictor;
import io.sluice.api.windowing.evictors.TimeEvictor;
import io.sluice.runtime.window.WindowHarness.E;
import io.sluice.runtime.window.WindowTestFunctions.StatsAggregate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Count and time evictors, before and after the window function, with every kind of window function. */
class WindowEvictorTest {

    private static WindowHarness fiveRecords(WindowHarness h) throws Exception {
        for (int v = 1; v <= 5; v++) {
            h.record("a", v, v);
        }
        return h;
    }

    @Test
    void countEvictorBeforeKeepsTheLastRecordsAndWritesThemBack() throws Exception {
        WindowHarness h = fiveRecords(new WindowHarness(spec(k -> k.window(TumblingEventTimeWindows.of(ofMillis(10)))
                .evictor(CountEvictor.of(2)).allowedLateness(ofMillis(5)).process(LIST, Types.STRING))));
        h.watermark(9);
        assertEquals(List.of("a[0,10):4,5"), h.takeValues());
        h.record("a", 6, 8);
        assertEquals(List.of("a[0,10):5,6"), h.takeValues(), "the evicted records stay evicted");
    }

    @Test
    void countEvictorAfterShowsEverythingOnceThenTrims() throws Exception {
        WindowHarness h = fiveRecords(new WindowHarness(spec(k -> k.window(TumblingEventTimeWindows.of(ofMillis(10)))
                .evictor(CountEvictor.of(2, true)).allowedLateness(ofMillis(5)).process(LIST, Types.STRING))));
        h.watermark(9);
        assertEquals(List.of("a[0,10):1,2,3,4,5"), h.takeValues());
        h.record("a", 6, 8);
        assertEquals(List.of("a[0,10):4,5,6"), h.takeValues());
    }

    @Test
    void timeEvictorKeepsTheLastStretchOfEventTime() throws Exception {
        WindowHarness h = new WindowHarness(spec(k -> k.window(TumblingEventTimeWindows.of(ofMillis(10)))
                .evictor(TimeEvictor.of(ofMillis(3))).process(LIST, Types.STRING)));
        h.record("a", 1, 1).record("a", 7, 7).record("a", 3, 3).record("a", 5, 5).watermark(9);
        assertEquals(List.of("a[0,10):7,5"), h.values(), "max 7, cutoff 4: timestamps at or before 4 go");
    }

    @Test
    void evictorWithAReduceAppliesTheReduceToWhatIsLeft() throws Exception {
        WindowHarness h = fiveRecords(new WindowHarness(spec(k -> k.window(TumblingEventTimeWindows.of(ofMillis(10)))
                .evictor(CountEvictor.of(2)).reduce(SUM))));
        assertEquals(1, h.contentsEntries(), "one list of records for the key and window");
        h.watermark(9);
        assertEquals(List.of(new E("a", 9)), h.values());
    }

    @Test
    void evictorWithAnAggregateAppliesItToWhatIsLeft() throws Exception {
        WindowHarness h = fiveRecords(new WindowHarness(spec(k -> k.window(TumblingEventTimeWindows.of(ofMillis(10)))
                .evictor(CountEvictor.of(3)).aggregate(new StatsAggregate()))));
        h.watermark(9);
        assertEquals(List.of("n=3 sum=12 max=5"), h.values());
    }

    @Test
    void whenEverythingIsEvicted() throws Exception {
        Duration none = Duration.ZERO; // evicts every record at or before the latest timestamp: all
        WindowHarness reduce = fiveRecords(new WindowHarness(spec(k -> k.window(TumblingEventTimeWindows.of(ofMillis(10)))
                .evictor(TimeEvictor.of(none)).reduce(SUM))));
        WindowHarness aggregate = fiveRecords(new WindowHarness(spec(k -> k.window(TumblingEventTimeWindows.of(ofMillis(10)))
                .evictor(TimeEvictor.of(none)).aggregate(new StatsAggregate()))));
        WindowHarness process = fiveRecords(new WindowHarness(spec(k -> k.window(TumblingEventTimeWindows.of(ofMillis(10)))
                .evictor(TimeEvictor.of(none)).process(LIST, Types.STRING))));
        for (WindowHarness h : List.of(reduce, aggregate, process)) {
            h.watermark(9);
        }
        assertEquals(List.of(), reduce.values(), "a reduce of nothing has no value");
        assertEquals(List.of("n=0 sum=0 max=" + Long.MIN_VALUE), aggregate.values(), "the result of an empty accumulator");
        assertEquals(List.of("a[0,10):"), process.values(), "the process function is called with no records");
    }

    @Test
    void evictorOnMergedSessions() throws Exception {
        WindowHarness h = new WindowHarness(spec(k -> k.window(EventTimeSessionWindows.withGap(ofMillis(5)))
                .evictor(CountEvictor.of(2)).process(LIST, Types.STRING)));
        h.record("a", 1, 0).record("a", 2, 9).record("a", 3, 4).watermark(13);
        assertEquals(1, h.values().size());
        String fired = (String) h.values().getFirst();
        assertEquals("a[0,14):", fired.substring(0, 8));
        assertEquals(2, fired.substring(8).split(",").length, fired);
    }
}
