package io.sluice.runtime.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.functions.Collector;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.runtime.operator.OperatorFixture.Rec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** KeyedProcessOperator: per-key value state and event-time timers, driven directly. */
class KeyedProcessOperatorTest {

    /** What the test asks the function to do with a record's key. */
    enum Op { COUNT, REGISTER, DELETE }

    record Cmd(String key, Op op, long time) {
        static Cmd count(String key) {
            return new Cmd(key, Op.COUNT, 0);
        }

        static Cmd register(String key, long time) {
            return new Cmd(key, Op.REGISTER, time);
        }

        static Cmd delete(String key, long time) {
            return new Cmd(key, Op.DELETE, time);
        }
    }

    /** A fired timer as the function saw it. */
    record Fired(String key, long time, long contextTimestamp, long count) {}

    /**
     * Counts records per key in value state and emits {@code key=count}; registers and deletes timers on request;
     * on a timer, records the key, time and the key's count, emits {@code timer key@time}, and optionally
     * registers a follow-up timer.
     */
    static final class Probe implements KeyedProcessFunction<String, Cmd, String> {
        final List<Fired> fired = new ArrayList<>();
        /** If ≥ 0, a timer at time t registers another one at t + followUpDelay (once per key). */
        long followUpDelay = -1;
        transient ValueState<Long> count;
        int opened;
        int closed;

        @Override
        public void open(RuntimeContext context) {
            opened++;
            count = context.getState(new ValueStateDescriptor<>("count", Types.LONG, 0L));
        }

        @Override
        public void processElement(Cmd cmd, Context<String> ctx, Collector<String> out) {
            assertEquals(cmd.key(), ctx.currentKey());
            switch (cmd.op()) {
                case COUNT -> {
                    long c = count.value() + 1;
                    count.update(c);
                    out.collect(cmd.key() + "=" + c);
                }
                case REGISTER -> ctx.timerService().registerEventTimeTimer(cmd.time());
                case DELETE -> ctx.timerService().deleteEventTimeTimer(cmd.time());
            }
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext<String> ctx, Collector<String> out) {
            fired.add(new Fired(ctx.currentKey(), timestamp, ctx.timestamp(), count.value()));
            out.collect("timer " + ctx.currentKey() + "@" + timestamp);
            if (followUpDelay >= 0) {
                ctx.timerService().registerEventTimeTimer(timestamp + followUpDelay);
                followUpDelay = -1;
            }
        }

        @Override
        public void close() {
            closed++;
        }
    }

    private static KeyedProcessOperator<String, Cmd, String> open(OperatorFixture f, Probe probe) throws Exception {
        KeyedProcessOperator<String, Cmd, String> op = new KeyedProcessOperator<>(Cmd::key, probe);
        op.open(f.setup);
        return op;
    }

    @Test
    void valueStateIsPerKey() throws Exception {
        OperatorFixture f = OperatorFixture.keyed();
        Probe probe = new Probe();
        KeyedProcessOperator<String, Cmd, String> op = open(f, probe);
        for (String k : List.of("a", "b", "a", "c", "a", "b")) {
            op.processRecord(Cmd.count(k), 0L);
        }
        assertEquals(List.of("a=1", "b=1", "a=2", "c=1", "a=3", "b=2"), f.main.values());
        op.close();
        assertEquals(1, probe.opened);
        assertEquals(1, probe.closed);
    }

    @Test
    void valueStatePerKeyMatchesBruteForceForManyKeys() throws Exception {
        long seed = 7L;
        Random random = new Random(seed);
        OperatorFixture f = OperatorFixture.keyed();
        KeyedProcessOperator<String, Cmd, String> op = open(f, new Probe());
        Map<String, Long> oracle = new HashMap<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            String key = "k" + random.nextInt(3_000);
            long c = oracle.merge(key, 1L, Long::sum);
            expected.add(key + "=" + c);
            op.processRecord(Cmd.count(key), i);
        }
        assertEquals(expected, f.main.values(), "seed " + seed);
    }

    @Test
    void theSameTimerRegisteredTwiceFiresOnce() throws Exception {
        OperatorFixture f = OperatorFixture.keyed();
        Probe probe = new Probe();
        KeyedProcessOperator<String, Cmd, String> op = open(f, probe);
        op.processRecord(Cmd.register("a", 100), 0L);
        op.processRecord(Cmd.register("a", 100), 0L);
        op.processRecord(Cmd.register("b", 100), 0L); // another key, same time: its own timer
        op.processWatermark(100L);
        assertEquals(2, probe.fired.size(), probe.fired.toString());
        assertEquals(List.of("a", "b"), probe.fired.stream().map(Fired::key).sorted().toList());
        op.processWatermark(1_000L);
        assertEquals(2, probe.fired.size(), "a fired timer does not fire again");
    }

    @Test
    void aDeletedTimerDoesNotFire() throws Exception {
        OperatorFixture f = OperatorFixture.keyed();
        Probe probe = new Probe();
        KeyedProcessOperator<String, Cmd, String> op = open(f, probe);
        op.processRecord(Cmd.register("a", 10), 0L);
        op.processRecord(Cmd.register("a", 20), 0L);
        op.processRecord(Cmd.register("b", 10), 0L);
        op.processRecord(Cmd.delete("a", 10), 0L);
        op.processRecord(Cmd.delete("c", 10), 0L); // deleting a timer that does not exist is harmless
        op.processWatermark(Long.MAX_VALUE);
        assertEquals(List.of(new Fired("b", 10, 10, 0), new Fired("a", 20, 20, 0)), probe.fired);
    }

    @Test
    void timersFireInTimeOrderOnlyWhenTheWatermarkPassesThemAndBeforeTheWatermarkIsForwarded() throws Exception {
        OperatorFixture f = OperatorFixture.keyed();
        Probe probe = new Probe();
        KeyedProcessOperator<String, Cmd, String> op = open(f, probe);
        op.processRecord(Cmd.register("x", 30), 0L);
        op.processRecord(Cmd.register("y", 10), 0L);
        op.processRecord(Cmd.register("z", 20), 0L);
        op.processRecord(Cmd.register("w", 40), 0L);

        op.processWatermark(9L);
        assertTrue(probe.fired.isEmpty());
        op.processWatermark(30L); // a timer at exactly the watermark fires
        assertEquals(List.of(10L, 20L, 30L), probe.fired.stream().map(Fired::time).toList());
        assertEquals(List.of("y", "z", "x"), probe.fired.stream().map(Fired::key).toList());

        // on the main output: the timers' records (with the timer's time as timestamp), then the watermark
        List<OperatorFixture.Event> expected = List.of(
                new OperatorFixture.Wm(9L),
                new Rec("timer y@10", 10L), new Rec("timer z@20", 20L), new Rec("timer x@30", 30L),
                new OperatorFixture.Wm(30L));
        assertEquals(expected, f.main.events);

        op.processWatermark(Long.MAX_VALUE);
        assertEquals(List.of(10L, 20L, 30L, 40L), probe.fired.stream().map(Fired::time).toList());
    }

    @Test
    void onTimerSeesTheTimersKeyAndThatKeysState() throws Exception {
        OperatorFixture f = OperatorFixture.keyed();
        Probe probe = new Probe();
        KeyedProcessOperator<String, Cmd, String> op = open(f, probe);
        op.processRecord(Cmd.count("a"), 0L);
        op.processRecord(Cmd.count("a"), 0L);
        op.processRecord(Cmd.register("a", 5), 0L);
        op.processRecord(Cmd.count("b"), 0L);
        op.processRecord(Cmd.register("b", 6), 0L);
        op.processRecord(Cmd.register("c", 7), 0L); // c has no state
        op.processRecord(Cmd.count("a"), 0L);
        op.processRecord(Cmd.count("d"), 0L); // the current key is now d
        op.processWatermark(10L);
        assertEquals(List.of(new Fired("a", 5, 5, 3), new Fired("b", 6, 6, 1), new Fired("c", 7, 7, 0)), probe.fired);
        // after the timers, records set their own key again
        op.processRecord(Cmd.count("d"), 11L);
        assertEquals("d=2", f.main.values().getLast());
    }

    @Test
    void aTimerRegisteredWhileFiringFiresInTheSameAdvanceIfDue() throws Exception {
        OperatorFixture f = OperatorFixture.keyed();
        Probe probe = new Probe();
        probe.followUpDelay = 5;
        KeyedProcessOperator<String, Cmd, String> op = open(f, probe);
        op.processRecord(Cmd.register("a", 10), 0L);
        op.processRecord(Cmd.register("b", 100), 0L);
        op.processWatermark(50L);
        assertEquals(List.of(new Fired("a", 10, 10, 0), new Fired("a", 15, 15, 0)), probe.fired);
        op.processWatermark(Long.MAX_VALUE);
        assertEquals(new Fired("b", 100, 100, 0), probe.fired.getLast());
        assertEquals(3, probe.fired.size());
    }

    @Test
    void randomTimerRegistrationsAndDeletionsMatchBruteForce() throws Exception {
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            OperatorFixture f = OperatorFixture.keyed();
            Probe probe = new Probe();
            KeyedProcessOperator<String, Cmd, String> op = open(f, probe);
            record Timer(long time, String key) {}
            TreeSet<Timer> pending = new TreeSet<>(Comparator.comparingLong(Timer::time).thenComparing(Timer::key));
            long watermark = Long.MIN_VALUE;
            int checked = 0;
            for (int step = 0; step < 400; step++) {
                int what = random.nextInt(10);
                String key = "k" + random.nextInt(8);
                long time = (watermark == Long.MIN_VALUE ? 0 : watermark) + random.nextInt(50);
                if (what < 5) {
                    op.processRecord(Cmd.register(key, time), 0L);
                    pending.add(new Timer(time, key)); // at or below the watermark: fires at the next advance
                } else if (what < 7) {
                    op.processRecord(Cmd.delete(key, time), 0L);
                    pending.remove(new Timer(time, key));
                } else {
                    long wm = (watermark == Long.MIN_VALUE ? 0 : watermark) + random.nextInt(30);
                    if (wm <= watermark) {
                        continue;
                    }
                    int before = probe.fired.size();
                    op.processWatermark(wm);
                    watermark = wm;
                    List<Timer> due = new ArrayList<>();
                    while (!pending.isEmpty() && pending.first().time() <= wm) {
                        due.add(pending.pollFirst());
                    }
                    List<Fired> fired = probe.fired.subList(before, probe.fired.size());
                    for (int i = 1; i < fired.size(); i++) {
                        assertTrue(fired.get(i - 1).time() <= fired.get(i).time(), "seed " + seed + ": fired out of order " + fired);
                    }
                    List<Timer> actual = new ArrayList<>(fired.stream().map(x -> new Timer(x.time(), x.key())).toList());
                    actual.sort(pending.comparator());
                    assertEquals(due, actual, "seed " + seed + " step " + step + " watermark " + wm);
                    checked += due.size();
                }
            }
            assertTrue(checked > 0, "seed " + seed + ": no timer fired at all; the test checks nothing");
        }
    }
}
