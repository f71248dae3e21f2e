package io.sluice.runtime.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.sluice.runtime.operator.OperatorSetup;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Idleness through channels: idle channels are skipped, all idle makes the head idle, watermarks never go back. */
class GateInputIdlenessTest {
    /** Batches of at most 100 records (of a few bytes: far from a buffer), so records go out on flush or before an event. */
    private static BatchSizer strings() {
        return BatchSizer.of(Types.STRING, EngineConfig.DEFAULT_BUFFER_BYTES, 100);
    }

    /** Logs watermarks and status changes; fails on a watermark that does not rise. */
    static final class Head implements OneInputOperator<Object> {
        final List<String> log = new ArrayList<>();
        long watermark = Long.MIN_VALUE;
        boolean idle;

        @Override
        public void open(OperatorSetup setup) {}

        @Override
        public void processRecord(Object record, long timestamp) {
            log.add("r " + record);
        }

        @Override
        public void processWatermark(long wm) {
            if (wm <= watermark) {
                throw new AssertionError("watermark went from " + watermark + " to " + wm);
            }
            watermark = wm;
            log.add("wm " + (wm == Long.MAX_VALUE ? "MAX" : String.valueOf(wm)));
        }

        @Override
        public void processWatermarkStatus(boolean newIdle) {
            idle = newIdle;
            log.add(newIdle ? "idle" : "active");
        }

        @Override
        public void close() {}

        List<String> take() {
            List<String> copy = List.copyOf(log);
            log.clear();
            return copy;
        }
    }

    private static Channel[] channels(int n) {
        Channel[] c = new Channel[n];
        for (int i = 0; i < n; i++) {
            c[i] = new InProcessChannel(64, new Wakeup());
        }
        return c;
    }

    private static ChannelWriter[] writers(Channel[] channels) {
        ChannelWriter[] w = new ChannelWriter[channels.length];
        for (int i = 0; i < channels.length; i++) {
            w[i] = new ChannelWriter(new Channel[] {channels[i]}, new Partitioning.Forward(), 0, 128, strings(), new Cancellation(), "Head");
        }
        return w;
    }

    private static TaskInput.Status drain(TaskInput input) throws Exception {
        TaskInput.Status status;
        do {
            status = input.processSome();
        } while (status == TaskInput.Status.MORE);
        return status;
    }

    @Test
    void anIdleChannelIsSkippedAndAllIdleMakesTheHeadIdle() throws Exception {
        Channel[] c = channels(2);
        ChannelWriter[] w = writers(c);
        Head head = new Head();
        TaskInput input = TaskInputs.channels(c, new int[] {0, 0}, head, new OperatorCounters(), "Head");
        w[0].acceptWatermark(100);
        drain(input);
        assertEquals(List.of(), head.take(), "channel 1 holds it back");
        w[1].acceptWatermarkStatus(true);
        drain(input);
        assertEquals(List.of("wm 100"), head.take());
        w[0].acceptWatermarkStatus(true);
        drain(input);
        assertEquals(List.of("idle"), head.take());
        w[1].acceptWatermarkStatus(false);
        w[1].acceptWatermark(40);
        w[1].accept("late-ish", 45);
        w[1].flush();
        drain(input);
        assertEquals(List.of("active", "r late-ish"), head.take(), "back at 40, behind 100: no step back");
        w[1].acceptWatermark(150);
        drain(input);
        assertEquals(List.of("wm 150"), head.take(), "channel 0 is idle: channel 1 alone counts");
        w[0].acceptWatermarkStatus(false);
        w[0].acceptWatermark(120);
        w[1].acceptWatermark(300);
        drain(input);
        assertEquals(List.of(), head.take(), "channel 0 at 120 holds it at 150 until it passes");
        w[0].broadcastEvent(ControlEvent.EndOfInput.INSTANCE);
        drain(input);
        assertEquals(List.of("wm 300"), head.take(), "an ended channel no longer counts");
        w[1].acceptWatermarkStatus(true);
        w[1].broadcastEvent(ControlEvent.EndOfInput.INSTANCE);
        assertEquals(TaskInput.Status.ENDED, drain(input));
        assertEquals(List.of("idle", "active", "wm MAX"), head.take(), "the end of every channel is the end of time");
    }

    @Test
    void anEndedChannelDoesNotLetIdleOnesBeSkippedToTheEndOfTime() throws Exception {
        Channel[] c = channels(2);
        ChannelWriter[] w = writers(c);
        Head head = new Head();
        TaskInput input = TaskInputs.channels(c, new int[] {0, 0}, head, new OperatorCounters(), "Head");
        w[1].acceptWatermark(7);
        w[1].acceptWatermarkStatus(true);
        w[0].acceptWatermark(Long.MAX_VALUE); // what a bounded producer sends as it ends
        w[0].broadcastEvent(ControlEvent.EndOfInput.INSTANCE);
        assertEquals(TaskInput.Status.NOTHING_NOW, drain(input));
        assertTrue(head.idle, head.log.toString());
        assertTrue(head.watermark <= 7, "the idle channel may still send data after 7: " + head.log);
        w[1].acceptWatermarkStatus(false);
        w[1].accept("still on time", 8);
        w[1].acceptWatermark(Long.MAX_VALUE);
        w[1].broadcastEvent(ControlEvent.EndOfInput.INSTANCE);
        assertEquals(TaskInput.Status.ENDED, drain(input));
        List<String> tail = head.take();
        assertEquals(List.of("active", "r still on time", "wm MAX"), tail.subList(tail.size() - 3, tail.size()));
    }

    /**
     * Producers that each behave like a real upstream task (own rising watermark, sometimes lower after idleness,
     * alternating idle/active), in random order, against a plain-Java model: after every element the head's watermark
     * is max(previous, min over active producers), its status is "idle" exactly when no producer is active, and what
     * the head saw only ever rose.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {3, 17, 99, 4242, 8_675_309})
    void watermarksNeverGoBackwardsThroughChannels(long seed) throws Exception {
        Random random = new Random(seed);
        int n = 2 + random.nextInt(4);
        Channel[] c = channels(n);
        ChannelWriter[] w = writers(c);
        Head head = new Head();
        TaskInput input = TaskInputs.channels(c, new int[n], head, new OperatorCounters(), "Head");
        long[] sent = new long[n];
        java.util.Arrays.fill(sent, Long.MIN_VALUE);
        boolean[] idle = new boolean[n];
        long expected = Long.MIN_VALUE;
        int rises = 0;
        for (int step = 0; step < 4_000; step++) {
            int p = random.nextInt(n);
            String what;
            if (random.nextInt(8) == 0) {
                idle[p] = !idle[p];
                w[p].acceptWatermarkStatus(idle[p]);
                what = "producer " + p + (idle[p] ? " idle" : " active");
            } else if (!idle[p]) {
                // mostly forward; after idleness a producer may come back below the others
                long next = sent[p] == Long.MIN_VALUE ? random.nextInt(50) : sent[p] + 1 + random.nextInt(30);
                sent[p] = next;
                w[p].accept("x", next);
                w[p].acceptWatermark(next);
                what = "producer " + p + " at " + next;
            } else {
                continue;
            }
            drain(input);
            String context = "seed " + seed + ", step " + step + " (" + what + "), log tail " + head.log.subList(
                    Math.max(0, head.log.size() - 6), head.log.size());
            long min = Long.MAX_VALUE;
            boolean anyActive = false;
            for (int k = 0; k < n; k++) {
                if (!idle[k]) {
                    anyActive = true;
                    min = Math.min(min, sent[k]);
                }
            }
            if (anyActive && min > expected) {
                expected = min;
                rises++;
            }
            assertEquals(expected, head.watermark, context);
            assertEquals(!anyActive, head.idle, context);
        }
        assertTrue(rises > 50, "seed " + seed + ": only " + rises + " rises");
    }
}
