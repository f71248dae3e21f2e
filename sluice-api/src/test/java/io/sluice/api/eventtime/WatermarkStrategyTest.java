package io.sluice.api.eventtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The strategy factories and fluent methods: what each generator does, immutability, serializability. */
class WatermarkStrategyTest {

    record Event(String name, long time) {}

    private static List<Long> periodicAfter(WatermarkStrategy<Event> strategy, long... timestamps) {
        WatermarkGenerator<Event> generator = strategy.createWatermarkGenerator();
        BoundedOutOfOrdernessWatermarksTest.Emitted out = new BoundedOutOfOrdernessWatermarksTest.Emitted();
        for (long ts : timestamps) {
            generator.onEvent(new Event("e", ts), ts, out);
        }
        generator.onPeriodicEmit(out);
        return out.watermarks;
    }

    @Test
    void boundedOutOfOrdernessSubtractsTheBoundAndOne() {
        assertEquals(List.of(1_000L - 250 - 1),
                periodicAfter(WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofMillis(250)), 700, 1_000, 900));
    }

    @Test
    void monotonousIsABoundOfZero() {
        assertEquals(List.of(41L), periodicAfter(WatermarkStrategy.forMonotonousTimestamps(), 10, 42, 42));
    }

    @Test
    void noWatermarksEmitsNothingAndIsAPassThroughUntilConfigured() {
        WatermarkStrategy<Event> none = WatermarkStrategy.noWatermarks();
        assertEquals(List.of(), periodicAfter(none, 1, 2, 3));
        assertTrue(none.isPassThrough());
        assertFalse(none.withTimestampAssigner((e, ts) -> e.time()).isPassThrough());
        assertFalse(none.withIdleness(Duration.ofSeconds(1)).isPassThrough());
        assertFalse(WatermarkStrategy.<Event>forMonotonousTimestamps().isPassThrough());
    }

    @Test
    void forGeneratorCreatesAFreshGeneratorEachTime() {
        WatermarkStrategy<Event> punctuated = WatermarkStrategy.forGenerator(() -> new WatermarkGenerator<>() {
            @Override
            public void onEvent(Event event, long timestamp, WatermarkOutput output) {
                output.emitWatermark(timestamp);
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {}
        });
        assertNotSame(punctuated.createWatermarkGenerator(), punctuated.createWatermarkGenerator());
        BoundedOutOfOrdernessWatermarksTest.Emitted out = new BoundedOutOfOrdernessWatermarksTest.Emitted();
        punctuated.createWatermarkGenerator().onEvent(new Event("a", 5), 5, out);
        assertEquals(List.of(5L), out.watermarks);
    }

    @Test
    void fluentMethodsReturnNewStrategiesAndLeaveTheOriginalAlone() {
        WatermarkStrategy<Event> base = WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofSeconds(1));
        WatermarkStrategy<Event> assigned = base.withTimestampAssigner((e, ts) -> e.time());
        WatermarkStrategy<Event> idle = assigned.withIdleness(Duration.ofMillis(300));
        assertEquals(Optional.empty(), base.timestampAssigner());
        assertEquals(Optional.empty(), base.idleness());
        assertEquals(Optional.empty(), assigned.idleness());
        assertEquals(Optional.of(Duration.ofMillis(300)), idle.idleness());
        assertEquals(77L, idle.timestampAssigner().orElseThrow().extractTimestamp(new Event("x", 77), 3));
    }

    @Test
    void aStrategyWithLambdasSurvivesSerialization() throws Exception {
        WatermarkStrategy<Event> strategy = WatermarkStrategy.<Event>forBoundedOutOfOrderness(Duration.ofMillis(20))
                .withTimestampAssigner((e, ts) -> e.time() * 2)
                .withIdleness(Duration.ofSeconds(5));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(strategy);
        }
        @SuppressWarnings("unchecked")
        WatermarkStrategy<Event> copy = (WatermarkStrategy<Event>) new ObjectInputStream(
                new ByteArrayInputStream(bytes.toByteArray())).readObject();
        assertEquals(200L, copy.timestampAssigner().orElseThrow().extractTimestamp(new Event("x", 100), 0));
        assertEquals(Optional.of(Duration.ofSeconds(5)), copy.idleness());
        assertEquals(List.of(100L - 20 - 1), periodicAfter(copy, 100));
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofMillis(-1)));
        assertThrows(NullPointerException.class, () -> WatermarkStrategy.forBoundedOutOfOrderness(null));
        assertThrows(IllegalArgumentException.class, () -> WatermarkStrategy.noWatermarks().withIdleness(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> WatermarkStrategy.noWatermarks().withIdleness(Duration.ofMillis(-5)));
        assertThrows(NullPointerException.class, () -> WatermarkStrategy.noWatermarks().withTimestampAssigner(null));
        assertThrows(NullPointerException.class, () -> WatermarkStrategy.forGenerator(null));
    }

    @Test
    void aHugeBoundSaturatesInsteadOfOverflowing() {
        assertEquals(List.of(), periodicAfter(WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofSeconds(Long.MAX_VALUE)), -1_000));
    }
}
