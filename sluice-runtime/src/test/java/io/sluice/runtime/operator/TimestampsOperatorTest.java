package io.sluice.runtime.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sluice.api.eventtime.WatermarkGenerator;
import io.sluice.api.eventtime.WatermarkOutput;
import io.sluice.api.eventtime.WatermarkStrategy;
import io.sluice.runtime.eventtime.Recorder;
import io.sluice.runtime.state.operator.OperatorStateStore;
import io.sluice.runtime.timer.ManualProcessingTime;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** assignTimestampsAndWatermarks on a manual clock: assigned timestamps, periodic emission, idleness, upstream time dropped. */
class TimestampsOperatorTest {
    private static final long INTERVAL = 200;

    record Event(String id, long time) {}

    private final Recorder downstream = new Recorder();
    private final ManualProcessingTime clock = new ManualProcessingTime(1_000);

    private TimestampsOperator<Event> open(WatermarkStrategy<Event> strategy, long interval) throws Exception {
        TimestampsOperator<Event> op = new TimestampsOperator<>(strategy, interval);
        op.open(new OperatorSetup("Stamp", 0, 1, 128, downstream.output(), null, new OperatorStateStore(), clock));
        return op;
    }

    private static WatermarkStrategy<Event> bounded(long millis) {
        return WatermarkStrategy.<Event>forBoundedOutOfOrderness(Duration.ofMillis(millis)).withTimestampAssigner((e, ts) -> e.time());
    }

    @Test
    void recordsGetTheAssignedTimestampAndWatermarksComeEveryInterval() throws Exception {
        TimestampsOperator<Event> op = open(bounded(10), INTERVAL);
        op.processRecord(new Event("a", 100), 5);
        op.processRecord(new Event("b", 90), Long.MIN_VALUE);
        clock.advanceTo(1_000 + INTERVAL - 1);
        assertEquals(List.of("r Event[id=a, time=100]@100", "r Event[id=b, time=90]@90"), downstream.take());
        clock.advanceTo(1_000 + INTERVAL);
        assertEquals(List.of("wm 89"), downstream.take());
        op.processRecord(new Event("c", 150), 0);
        clock.advanceTo(1_000 + 3 * INTERVAL);
        assertEquals(List.of("r Event[id=c, time=150]@150", "wm 139"), downstream.take());
    }

    @Test
    void upstreamWatermarksAndIdlenessAreDroppedExceptTheFinalWatermark() throws Exception {
        TimestampsOperator<Event> op = open(bounded(0), INTERVAL);
        op.processWatermark(5_000);
        op.processWatermarkStatus(true);
        op.processRecord(new Event("a", 10), 4_000);
        clock.advanceTo(1_000 + INTERVAL);
        op.processWatermark(Long.MAX_VALUE);
        clock.advanceTo(1_000 + 10 * INTERVAL);
        assertEquals(List.of("r Event[id=a, time=10]@10", "wm 9", "wm MAX"), downstream.take());
        assertEquals(Long.MAX_VALUE, op.currentWatermark());
    }

    @Test
    void aSilentInputTurnsIdleAndItsNextRecordTurnsItActiveFirst() throws Exception {
        TimestampsOperator<Event> op = open(bounded(0).withIdleness(Duration.ofMillis(500)), INTERVAL);
        op.processRecord(new Event("a", 10), 0);
        clock.advanceTo(1_000 + 2 * INTERVAL); // active at the check at 1200, silent since
        assertEquals(List.of("r Event[id=a, time=10]@10", "wm 9"), downstream.take());
        clock.advanceTo(1_000 + 3 * INTERVAL);
        assertEquals(List.of(), downstream.take(), "silent for 400 ms only");
        clock.advanceTo(1_000 + 4 * INTERVAL);
        assertEquals(List.of("idle"), downstream.take(), "silent for 600 ms at the check at 1800");
        op.processRecord(new Event("b", 20), 0);
        clock.advanceTo(1_000 + 6 * INTERVAL);
        assertEquals(List.of("active", "r Event[id=b, time=20]@20", "wm 19"), downstream.take());
        clock.advanceTo(1_000 + 20 * INTERVAL);
        op.processWatermark(Long.MAX_VALUE);
        assertEquals(List.of("idle", "active", "wm MAX"), downstream.take(), "active again before the final watermark");
    }

    @Test
    void withPeriodicEmissionOffIdlenessIsStillCheckedAndPunctuatedWatermarksStillFlow() throws Exception {
        WatermarkStrategy<Event> punctuated = WatermarkStrategy.<Event>forGenerator(() -> new WatermarkGenerator<>() {
            @Override
            public void onEvent(Event event, long timestamp, WatermarkOutput output) {
                if (event.id().startsWith("!")) {
                    output.emitWatermark(timestamp);
                }
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                throw new AssertionError("periodic emission is off");
            }
        }).withTimestampAssigner((e, ts) -> e.time()).withIdleness(Duration.ofMillis(300));
        TimestampsOperator<Event> op = open(punctuated, 0);
        op.processRecord(new Event("a", 10), 0);
        op.processRecord(new Event("!b", 20), 0);
        assertEquals(List.of("r Event[id=a, time=10]@10", "r Event[id=!b, time=20]@20", "wm 20"), downstream.take());
        clock.advanceTo(1_000 + 300); // checks every 300 ms: the first one sees activity
        clock.advanceTo(1_000 + 600);
        assertEquals(List.of("idle"), downstream.take());
    }

    @Test
    void aFailingGeneratorInThePeriodicCheckNamesTheOperator() throws Exception {
        WatermarkStrategy<Event> broken = WatermarkStrategy.forGenerator(() -> new WatermarkGenerator<>() {
            @Override
            public void onEvent(Event event, long timestamp, WatermarkOutput output) {}

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                throw new IllegalStateException("broken generator");
            }
        });
        open(broken, INTERVAL);
        OperatorException e = assertThrows(OperatorException.class, () -> clock.advanceTo(1_000 + INTERVAL));
        assertEquals("Stamp", e.operatorName());
        assertInstanceOf(IllegalStateException.class, e.getCause());
    }
}
