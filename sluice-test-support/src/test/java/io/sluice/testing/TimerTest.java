package io.sluice.testing;

import static io.sluice.testing.TimerProbe.count;
import static io.sluice.testing.TimerProbe.deleteEvent;
import static io.sluice.testing.TimerProbe.deleteProcessing;
import static io.sluice.testing.TimerProbe.event;
import static io.sluice.testing.TimerProbe.processing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.functions.TimeDomain;
import io.sluice.api.types.Types;
import io.sluice.testing.TimerProbe.Cmd;
import io.sluice.testing.TimerProbe.Fired;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Event- and processing-time timers of a keyed process function, through the harness. */
class TimerTest {

    private static KeyedProcessFunctionHarness<String, Cmd, String> harness(TimerProbe probe) {
        return new KeyedProcessFunctionHarness<>(Cmd::key, Types.STRING, probe);
    }

    private static Set<String> keysFired(List<Fired> fired) {
        Set<String> keys = new HashSet<>();
        fired.forEach(f -> assertTrue(keys.add(f.key()), "fired twice: " + f.key()));
        return keys;
    }

    @Test
    void eventTimeTimersAtTheSameTimeForDifferentKeysAllFire() throws Exception {
        TimerProbe probe = new TimerProbe();
        var h = harness(probe);
        Set<String> keys = new HashSet<>();
        for (int k = 0; k < 200; k++) {
            keys.add("k" + k);
            h.processElement(event("k" + k, 100), 5);
        }
        h.processWatermark(99);
        assertEquals(List.of(), probe.fired);
        h.processWatermark(100);
        assertEquals(keys, keysFired(probe.fired));
        for (Fired f : probe.fired) {
            assertEquals(new Fired(TimeDomain.EVENT_TIME, f.key(), 100, 100, 0), f);
        }
        assertEquals(200, h.output().size());
        assertTrue(h.output().stream().allMatch(r -> r.timestamp() == 100), "timer output carries the timer's time");
        assertEquals(List.of(99L, 100L), h.watermarks());
        h.processWatermark(Long.MAX_VALUE);
        assertEquals(200, probe.fired.size(), "each timer fires once");
        h.close();
    }

    @Test
    void theSameKeyAndTimeRegisteredTwiceFiresOnce() throws Exception {
        TimerProbe probe = new TimerProbe();
        var h = harness(probe);
        h.processElement(event("a", 100));
        h.processElement(event("a", 100));
        h.processElement(event("b", 100));
        h.processElement(event("a", 101));
        h.processElement(processing("a", 50));
        h.processElement(processing("a", 50));
        h.processWatermark(Long.MAX_VALUE);
        h.setProcessingTime(1_000);
        List<String> fired = probe.fired.stream().map(f -> f.domain() + " " + f.key() + "@" + f.time()).sorted().toList();
        assertEquals(List.of("EVENT_TIME a@100", "EVENT_TIME a@101", "EVENT_TIME b@100", "PROCESSING_TIME a@50"), fired);
        h.close();
    }

    @Test
    void deletedTimersDoNotFire() throws Exception {
        TimerProbe probe = new TimerProbe();
        var h = harness(probe);
        h.processElement(event("a", 100));
        h.processElement(event("a", 200));
        h.processElement(event("b", 100));
        h.processElement(deleteEvent("a", 100));
        h.processElement(deleteEvent("c", 300)); // never registered: nothing happens
        h.processElement(processing("a", 10));
        h.processElement(processing("a", 20));
        h.processElement(deleteProcessing("a", 10)); // the earliest, already scheduled with the clock
        h.processWatermark(Long.MAX_VALUE);
        h.setProcessingTime(100);
        List<String> fired = probe.fired.stream().map(f -> f.key() + "@" + f.time()).toList();
        assertEquals(List.of("b@100", "a@200", "a@20"), fired);
        h.close();
    }

    @Test
    void processingTimeTimersFireWhenTheClockReachesThem() throws Exception {
        TimerProbe probe = new TimerProbe();
        var h = harness(probe);
        h.processElement(processing("a", 1_000));
        h.processElement(processing("b", 500));
        h.processWatermark(Long.MAX_VALUE); // event time does not fire processing-time timers
        h.setProcessingTime(499);
        assertEquals(List.of(), probe.fired);
        h.setProcessingTime(500);
        assertEquals(List.of(new Fired(TimeDomain.PROCESSING_TIME, "b", 500, 500, 500)), probe.fired);
        h.setProcessingTime(5_000); // the clock jumps past a's time: a fires seeing the new time
        assertEquals(new Fired(TimeDomain.PROCESSING_TIME, "a", 1_000, 1_000, 5_000), probe.fired.get(1));
        h.processElement(processing("c", 4_000)); // already due: fires right after the call, as a mail would
        assertEquals(new Fired(TimeDomain.PROCESSING_TIME, "c", 4_000, 4_000, 5_000), probe.fired.get(2));
        assertEquals(List.of(new Timestamped<>("b@500", 500), new Timestamped<>("a@1000", 1_000), new Timestamped<>("c@4000", 4_000)),
                h.output());
        h.close();
    }

    @Test
    void timersSurviveSnapshotAndRestore() throws Exception {
        TimerProbe probe = new TimerProbe();
        var h = harness(probe);
        h.setProcessingTime(10);
        h.processElement(event("a", 100));
        h.processElement(event("b", 200));
        h.processElement(processing("c", 1_000));
        h.processElement(processing("d", 2_000));
        h.processElement(count("a"));
        h.processWatermark(50);
        HarnessSnapshot snapshot = h.snapshot();
        h.close();

        TimerProbe after = new TimerProbe();
        var restored = KeyedProcessFunctionHarness.restoredFrom(List.of(snapshot), Subtask.single(), Cmd::key, Types.STRING, after);
        assertEquals(10, restored.processingTime(), "the clock starts where the snapshot was taken");
        restored.processWatermark(150);
        restored.setProcessingTime(1_000);
        restored.processWatermark(200);
        restored.setProcessingTime(3_000);
        assertEquals(List.of("a@100", "c@1000", "b@200", "d@2000"), restored.outputValues());
        assertEquals(1L, restored.state("a", TimerProbe.COUNT).value());
        restored.close();
    }

    @Test
    void aRestoredProcessingTimeTimerThatIsAlreadyDueFiresOnOpen() throws Exception {
        var h = harness(new TimerProbe());
        h.processElement(processing("a", 100));
        HarnessSnapshot snapshot = h.snapshot();
        h.close();
        TimerProbe after = new TimerProbe();
        var restored = KeyedProcessFunctionHarness.restoredFrom(List.of(snapshot), Subtask.single(), Cmd::key, Types.STRING, after);
        restored.setProcessingTime(50); // opens: nothing due yet
        assertEquals(List.of(), after.fired);
        restored.setProcessingTime(100);
        assertEquals(List.of("a@100"), restored.outputValues());
        restored.close();
    }

    /**
     * Random registrations and deletions of both domains over many keys, watermark and clock advances, and now and then
     * a snapshot with a restore into a fresh harness; against an oracle of the pending timers of each domain. Due
     * timers must fire exactly once, in time order, and nothing else.
     */
    @Test
    void randomTimersMatchAnOracleAcrossSnapshots() throws Exception {
        record T(long time, String key) {}
        Comparator<T> order = Comparator.comparingLong(T::time).thenComparing(T::key);
        for (long seed = 1; seed <= 5; seed++) {
            System.out.println("TimerTest seed " + seed);
            Random random = new Random(seed);
            List<Fired> fired = new ArrayList<>();
            var h = harness(new TimerProbe(fired));
            TreeSet<T> eventTimers = new TreeSet<>(order);
            TreeSet<T> processingTimers = new TreeSet<>(order);
            long watermark = Long.MIN_VALUE;
            long now = 0;
            for (int step = 0; step < 20_000; step++) {
                String where = "seed " + seed + ", step " + step;
                String key = "k" + random.nextInt(40);
                long base = Math.max(watermark, now);
                long time = base + random.nextInt(200) - 20; // sometimes already due
                int before = fired.size();
                List<T> due = new ArrayList<>();
                switch (random.nextInt(10)) {
                    case 0, 1, 2 -> {
                        h.processElement(event(key, time));
                        eventTimers.add(new T(time, key));
                    }
                    case 3 -> {
                        T t = random.nextBoolean() && !eventTimers.isEmpty() ? eventTimers.first() : new T(time, key);
                        h.processElement(deleteEvent(t.key(), t.time()));
                        eventTimers.remove(t);
                    }
                    case 4, 5 -> {
                        h.processElement(processing(key, time));
                        processingTimers.add(new T(time, key));
                        if (time <= now) {
                            due.add(new T(time, key)); // due already: fires right after the call
                            processingTimers.remove(new T(time, key));
                        }
                    }
                    case 6 -> {
                        T t = random.nextBoolean() && !processingTimers.isEmpty() ? processingTimers.first() : new T(time, key);
                        h.processElement(deleteProcessing(t.key(), t.time()));
                        processingTimers.remove(t);
                    }
                    case 7 -> {
                        watermark = Math.max(watermark, now) + random.nextInt(60);
                        h.processWatermark(watermark);
                        while (!eventTimers.isEmpty() && eventTimers.first().time() <= watermark) {
                            due.add(eventTimers.pollFirst());
                        }
                    }
                    case 8 -> {
                        now += random.nextInt(60);
                        h.setProcessingTime(now);
                        while (!processingTimers.isEmpty() && processingTimers.first().time() <= now) {
                            due.add(processingTimers.pollFirst());
                        }
                    }
                    default -> {
                        if (random.nextInt(20) == 0) {
                            HarnessSnapshot snapshot = h.snapshot();
                            h.close();
                            h = KeyedProcessFunctionHarness.restoredFrom(List.of(snapshot), Subtask.single(), Cmd::key,
                                    Types.STRING, new TimerProbe(fired));
                            if (watermark > Long.MIN_VALUE) {
                                // A restored operator starts without a watermark; sending the last one again fires
                                // the timers registered at or before it since it was last sent.
                                h.processWatermark(watermark);
                                while (!eventTimers.isEmpty() && eventTimers.first().time() <= watermark) {
                                    due.add(eventTimers.pollFirst());
                                }
                            }
                        }
                    }
                }
                List<Fired> now_ = fired.subList(before, fired.size());
                List<T> actual = now_.stream().map(f -> new T(f.time(), f.key())).toList();
                for (int i = 1; i < actual.size(); i++) {
                    assertTrue(actual.get(i - 1).time() <= actual.get(i).time(), where + ": out of time order " + actual);
                }
                assertEquals(new HashSet<>(due), new HashSet<>(actual), where);
                assertEquals(due.size(), actual.size(), where + ": a timer fired twice");
            }
            h.close();
        }
    }
}
