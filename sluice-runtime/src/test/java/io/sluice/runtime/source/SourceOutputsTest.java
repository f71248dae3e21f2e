package io.sluice.runtime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.sluice.api.eventtime.WatermarkGenerator;
import io.sluice.api.eventtime.WatermarkOutput;
import io.sluice.api.eventtime.WatermarkStrategy;
import io.sluice.api.source.SourceOutput;
import io.sluice.runtime.eventtime.Recorder;
import io.sluice.runtime.timer.ManualProcessingTime;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A source reader's outputs on a manual clock: a generator per split, the minimum over splits, idleness, the end. */
class SourceOutputsTest {
    private static final long INTERVAL = 100;

    private final Recorder downstream = new Recorder();
    private final ManualProcessingTime clock = new ManualProcessingTime(0);

    private SourceOutputs outputs(WatermarkStrategy<Object> strategy, String... assignedSplits) {
        return new SourceOutputs(downstream.output(), strategy, clock, INTERVAL, List.of(assignedSplits));
    }

    private static WatermarkStrategy<Object> monotonous() {
        return WatermarkStrategy.forMonotonousTimestamps();
    }

    @Test
    void theSourceWatermarkIsTheMinimumOverItsSplits() throws Exception {
        SourceOutputs out = outputs(monotonous(), "fast", "slow");
        SourceOutput<Object> fast = out.forSplit("fast");
        SourceOutput<Object> slow = out.forSplit("slow");
        out.start();
        fast.collect("f1", 1_000);
        slow.collect("s1", 10);
        assertEquals(List.of("r f1@1000", "r s1@10"), downstream.take());
        clock.advanceTo(INTERVAL);
        assertEquals(List.of("wm 9"), downstream.take(), "held back by the slow split, not 999");
        slow.collect("s2", 500);
        clock.advanceTo(2 * INTERVAL);
        assertEquals(List.of("r s2@500", "wm 499"), downstream.take());
        out.releaseSplit("slow");
        assertEquals(List.of("wm 999"), downstream.take(), "a finished split no longer counts");
        assertSame(fast, out.forSplit("fast"), "the same output for the same split");
    }

    @Test
    void nothingIsEmittedBeforeTheIntervalAndNothingTwice() throws Exception {
        SourceOutputs out = outputs(WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofMillis(20)), "a");
        SourceOutput<Object> split = out.forSplit("a");
        out.start();
        split.collect("x", 100);
        clock.advanceTo(INTERVAL - 1);
        assertEquals(List.of("r x@100"), downstream.take());
        clock.advanceTo(INTERVAL);
        assertEquals(List.of("wm 79"), downstream.take());
        clock.advanceTo(5 * INTERVAL);
        assertEquals(List.of(), downstream.take(), "no new record, no new watermark");
    }

    @Test
    void anAssignedSplitHoldsTheWatermarkBackBeforeItIsRead() throws Exception {
        SourceOutputs out = outputs(monotonous(), "first", "second");
        SourceOutput<Object> first = out.forSplit("first");
        first.collect("a", 1_000);
        out.start();
        clock.advanceTo(3 * INTERVAL);
        assertEquals(List.of("r a@1000"), downstream.take(), "second, not read yet, is at MIN");
        out.releaseSplit("first");
        out.forSplit("second").collect("b", 400);
        clock.advanceTo(4 * INTERVAL);
        assertEquals(List.of("r b@400", "wm 399"), downstream.take());
    }

    @Test
    void aReleasedSplitsOutputNoLongerMovesTheWatermark() throws Exception {
        SourceOutputs out = outputs(punctuated(), "old");
        SourceOutput<Object> old = out.forSplit("old");
        out.start();
        old.collect("a", 100);
        out.releaseSplit("old");
        SourceOutput<Object> next = out.forSplit("next"); // may reuse old's combiner input
        next.collect("b", 50);
        old.collect("stale", 5_000); // a reader bug: still emits through a released split
        assertEquals(List.of("r a@100", "wm 99", "r b@50", "r stale@5000"), downstream.take(),
                "the stale split's watermark 4999 must not count as next's");
    }

    @Test
    void aSilentSplitBecomesIdleAndStopsHoldingBackThenReturnsWithoutMovingItBack() throws Exception {
        SourceOutputs out = outputs(monotonous().withIdleness(Duration.ofMillis(300)), "busy", "quiet");
        SourceOutput<Object> busy = out.forSplit("busy");
        SourceOutput<Object> quiet = out.forSplit("quiet");
        out.start();
        quiet.collect("q1", 50);
        for (int t = 1; t <= 6; t++) {
            busy.collect("b" + t, 100L * t);
            clock.advanceTo(t * INTERVAL);
        }
        // quiet was last active at the check at 100 and silent for 300 ms at the check at 400
        assertEquals(List.of("r q1@50", "r b1@100", "wm 49", "r b2@200", "r b3@300", "r b4@400", "wm 399",
                "r b5@500", "wm 499", "r b6@600", "wm 599"), downstream.take());
        quiet.collect("q2", 60);
        assertEquals(List.of("r q2@60"), downstream.take(), "the subtask stays active; the watermark does not go back");
        busy.collect("b7", 700);
        clock.advanceTo(7 * INTERVAL);
        assertEquals(List.of("r b7@700"), downstream.take(), "quiet at 59 holds it at 599 until it catches up");
        quiet.collect("q3", 650);
        clock.advanceTo(8 * INTERVAL);
        assertEquals(List.of("r q3@650", "wm 649"), downstream.take());
    }

    @Test
    void whenEverySplitIsIdleTheSubtaskIsIdleAndARecordMakesItActiveFirst() throws Exception {
        SourceOutputs out = outputs(monotonous().withIdleness(Duration.ofMillis(200)), "a", "b");
        SourceOutput<Object> a = out.forSplit("a");
        SourceOutput<Object> b = out.forSplit("b");
        out.start();
        a.collect("a1", 10);
        b.collect("b1", 20);
        clock.advanceTo(INTERVAL);
        assertEquals(List.of("r a1@10", "r b1@20", "wm 9"), downstream.take());
        clock.advanceTo(3 * INTERVAL);
        assertEquals(List.of("wm 19", "idle"), downstream.take(), "a goes idle first (b alone counts), then b");
        b.collect("b2", 30);
        assertEquals(List.of("active", "r b2@30"), downstream.take(), "active goes out before the record");
        clock.advanceTo(4 * INTERVAL);
        assertEquals(List.of("wm 29"), downstream.take(), "only b is active now");
    }

    @Test
    void aReaderWithoutSplitsIsIdleFromItsFirstPoll() throws Exception {
        SourceOutputs out = outputs(monotonous());
        out.start();
        clock.advanceTo(10 * INTERVAL);
        assertEquals(List.of("idle"), downstream.take());
        out.endOfInput();
        assertEquals(List.of("active", "wm MAX"), downstream.take());
    }

    @Test
    void afterTheLastSplitTheSubtaskNeitherIdlesNorRunsAheadUntilTheNextOne() throws Exception {
        SourceOutputs out = outputs(monotonous(), "first");
        out.start();
        SourceOutput<Object> first = out.forSplit("first");
        first.collect("a", 1_000);
        clock.advanceTo(INTERVAL);
        out.releaseSplit("first");
        clock.advanceTo(5 * INTERVAL);
        SourceOutput<Object> second = out.forSplit("second");
        second.collect("b", 2_000);
        clock.advanceTo(6 * INTERVAL);
        assertEquals(List.of("r a@1000", "wm 999", "r b@2000", "wm 1999", "wm MAX"),
                concat(downstream.take(), () -> out.endOfInput(), downstream));
    }

    /** A watermark of the timestamp minus 1 after every record. */
    private static WatermarkStrategy<Object> punctuated() {
        return WatermarkStrategy.forGenerator(() -> new WatermarkGenerator<>() {
            @Override
            public void onEvent(Object event, long timestamp, WatermarkOutput output) {
                output.emitWatermark(timestamp - 1);
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {}
        });
    }

    @Test
    void aReaderThatReportsNoSplitsHasOneGeneratorForEverything() throws Exception {
        SourceOutputs out = outputs(punctuated(), "x", "y");
        out.start(); // the first poll emitted nothing: x and y count, at MIN
        out.collect("a", 10);
        out.collect("b", 5);
        out.collect("c", 12);
        assertEquals(List.of("r a@10", "wm 9", "r b@5", "r c@12", "wm 11"), downstream.take(),
                "x and y no longer count; a watermark follows the record that allowed it");
    }

    @Test
    void theTimestampAssignerGivesTheTimestamp() throws Exception {
        SourceOutputs out = outputs(WatermarkStrategy.noWatermarks().withTimestampAssigner((r, ts) -> ((String) r).length() * 100L), "s");
        SourceOutput<Object> split = out.forSplit("s");
        split.collect("abc");
        split.collect("de", 7);
        assertEquals(List.of("r abc@300", "r de@200"), downstream.take());
    }

    @Test
    void aPassThroughStrategyLeavesRecordsAloneAndTracksNoSplits() throws Exception {
        SourceOutputs out = outputs(WatermarkStrategy.noWatermarks(), "s");
        assertSame(out, out.forSplit("s"));
        out.start();
        out.collect("a", 3);
        out.collect("b");
        clock.advanceTo(100 * INTERVAL);
        out.endOfInput();
        assertEquals(List.of("r a@3", "r b@none", "wm MAX"), downstream.take());
    }

    private static List<String> concat(List<String> before, Runnable action, Recorder recorder) {
        action.run();
        List<String> all = new java.util.ArrayList<>(before);
        all.addAll(recorder.take());
        return all;
    }
}
