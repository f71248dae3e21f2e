package io.sluice.runtime.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.graph.Partitioning;
import io.sluice.api.types.Types;
import io.sluice.runtime.channel.BatchSizer;
import io.sluice.runtime.channel.Cancellation;
import io.sluice.runtime.channel.Channel;
import io.sluice.runtime.channel.ChannelWriter;
import io.sluice.runtime.channel.ControlEvent;
import io.sluice.runtime.channel.InProcessChannel;
import io.sluice.runtime.channel.Wakeup;
import io.sluice.runtime.config.EngineConfig;
import io.sluice.runtime.operator.OneInputOperator;
import io.sluice.runtime.operator.OperatorCounters;
import io.sluice.runtime.operator.OperatorException;
import io.sluice.runtime.operator.OperatorSetup;
import io.sluice.runtime.operator.TwoInputOperator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The consumer end: records to the head operator, the minimum watermark over channels, end of input. */
class GateInputTest {
    /** Batches of at most 100 records (of a few bytes: far from a buffer), so records go out on flush or before an event. */
    private static BatchSizer strings() {
        return BatchSizer.of(Types.STRING, EngineConfig.DEFAULT_BUFFER_BYTES, 100);
    }

    /** A one-input head that logs what it is given. */
    static final class OneHead implements OneInputOperator<Object> {
        final List<String> log = new ArrayList<>();

        @Override
        public void open(OperatorSetup setup) {}

        @Override
        public void processRecord(Object record, long timestamp) {
            if (record.equals("boom")) {
                throw new IllegalStateException("boom");
            }
            log.add("r " + record + "@" + timestamp);
        }

        @Override
        public void processWatermark(long watermark) {
            log.add("wm " + (watermark == Long.MAX_VALUE ? "MAX" : String.valueOf(watermark)));
        }

        @Override
        public void close() {}
    }

    /** A two-input head that logs which input each record came through. */
    static final class TwoHead implements TwoInputOperator<Object, Object> {
        final List<String> log = new ArrayList<>();

        @Override
        public void open(OperatorSetup setup) {}

        @Override
        public void processRecord1(Object record, long timestamp) {
            log.add("1 " + record);
        }

        @Override
        public void processRecord2(Object record, long timestamp) {
            log.add("2 " + record);
        }

        @Override
        public void processWatermark(long watermark) {
            log.add("wm " + (watermark == Long.MAX_VALUE ? "MAX" : String.valueOf(watermark)));
        }

        @Override
        public void close() {}
    }

    /** Two input channels with a writer each (batch size 100, so records go out on flush or before an event). */
    private final Channel[] channels = {new InProcessChannel(16, new Wakeup()), new InProcessChannel(16, new Wakeup())};
    private final ChannelWriter[] writers = {
        new ChannelWriter(new Channel[] {channels[0]}, new Partitioning.Forward(), 0, 128, strings(), new Cancellation(), "Head"),
        new ChannelWriter(new Channel[] {channels[1]}, new Partitioning.Forward(), 0, 128, strings(), new Cancellation(), "Head")};

    private static List<String> runUntilNothing(TaskInput input) throws Exception {
        TaskInput.Status s;
        do {
            s = input.processSome();
        } while (s == TaskInput.Status.MORE);
        return List.of(s.name());
    }

    @Test
    void theWatermarkIsTheMinimumOverChannelsAndNeverGoesBack() throws Exception {
        OneHead head = new OneHead();
        OperatorCounters counters = new OperatorCounters();
        TaskInput input = TaskInputs.channels(channels, new int[] {0, 0}, head, counters, "Head");
        assertEquals(List.of("NOTHING_NOW"), runUntilNothing(input));
        assertFalse(input.hasInputNow());

        writers[0].accept("a", 1L);
        writers[0].acceptWatermark(10L);
        assertTrue(input.hasInputNow());
        runUntilNothing(input);
        assertEquals(List.of("r a@1"), head.log, "channel 1 has no watermark yet: none is passed on");

        writers[1].acceptWatermark(5L);
        runUntilNothing(input);
        writers[1].acceptWatermark(20L);
        runUntilNothing(input);
        writers[0].acceptWatermark(30L);
        runUntilNothing(input);
        writers[1].acceptWatermark(15L); // goes back on its channel: ignored
        runUntilNothing(input);
        assertEquals(List.of("r a@1", "wm 5", "wm 10", "wm 20"), head.log);

        // end of input on one channel counts as its watermark reaching the end of time
        writers[1].broadcastEvent(ControlEvent.EndOfInput.INSTANCE);
        assertEquals(List.of("NOTHING_NOW"), runUntilNothing(input));
        assertEquals("wm 30", head.log.getLast());
        writers[0].accept("b", 31L);
        writers[0].broadcastEvent(ControlEvent.EndOfInput.INSTANCE);
        assertEquals(List.of("ENDED"), runUntilNothing(input));
        assertEquals(List.of("r a@1", "wm 5", "wm 10", "wm 20", "wm 30", "r b@31", "wm MAX"), head.log);
        assertEquals(2, counters.recordsIn);
    }

    @Test
    void twoInputHeadsGetEachChannelsRecordsThroughTheirInput() throws Exception {
        TwoHead head = new TwoHead();
        TaskInput input = TaskInputs.channels(channels, new int[] {1, 0}, head, new OperatorCounters(), "Head");
        writers[0].accept("x", 0L);
        writers[1].accept("y", 0L);
        writers[0].broadcastEvent(ControlEvent.EndOfInput.INSTANCE);
        writers[1].broadcastEvent(ControlEvent.EndOfInput.INSTANCE);
        assertEquals(List.of("ENDED"), runUntilNothing(input));
        assertTrue(head.log.contains("2 x"), head.log.toString());
        assertTrue(head.log.contains("1 y"), head.log.toString());
        assertEquals("wm MAX", head.log.getLast());
    }

    @Test
    void channelsAreReadInTurnSoNoneStarves() throws Exception {
        OneHead head = new OneHead();
        TaskInput input = TaskInputs.channels(channels, new int[] {0, 0}, head, new OperatorCounters(), "Head");
        for (int i = 0; i < 5; i++) {
            writers[0].accept("a" + i, 0L);
            writers[0].flush();
            writers[1].accept("b" + i, 0L);
            writers[1].flush();
        }
        runUntilNothing(input);
        List<String> log = head.log;
        assertEquals(List.of("r a0@0", "r b0@0", "r a1@0", "r b1@0", "r a2@0", "r b2@0", "r a3@0", "r b3@0", "r a4@0", "r b4@0"), log);
    }

    @Test
    void aFailingHeadIsReportedWithItsName() {
        OneHead head = new OneHead();
        TaskInput input = TaskInputs.channels(channels, new int[] {0, 0}, head, new OperatorCounters(), "Head");
        writers[0].accept("boom", 0L);
        writers[0].flush();
        OperatorException e = assertThrows(OperatorException.class, input::processSome);
        assertEquals("Head", e.operatorName());
        assertInstanceOf(IllegalStateException.class, e.getCause());
    }
}
