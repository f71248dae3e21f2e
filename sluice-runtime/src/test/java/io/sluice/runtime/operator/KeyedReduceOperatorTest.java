package io.sluice.runtime.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.api.types.Types;
import io.sluice.runtime.operator.OperatorFixture.Rec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** KeyedReduceOperator: a running reduce per key, emitted for every record. */
class KeyedReduceOperatorTest {

    record Item(String key, long amount) {}

    @Test
    void emitsTheRunningReductionOfEachKey() throws Exception {
        OperatorFixture f = OperatorFixture.keyed();
        KeyedReduceOperator<String, Item> op = new KeyedReduceOperator<>(Item::key,
                (a, b) -> new Item(a.key(), a.amount() + b.amount()), Types.of(Item.class));
        op.open(f.setup);
        op.processRecord(new Item("a", 1), 10L);
        op.processRecord(new Item("b", 5), 11L);
        op.processRecord(new Item("a", 2), 12L);
        op.processRecord(new Item("a", 3), 13L);
        op.processRecord(new Item("b", -5), 14L);
        assertEquals(List.of(new Rec(new Item("a", 1), 10L), new Rec(new Item("b", 5), 11L), new Rec(new Item("a", 3), 12L),
                new Rec(new Item("a", 6), 13L), new Rec(new Item("b", 0), 14L)), f.main.records());
        assertEquals(5, f.counters.recordsOut);
        op.close();
    }

    @Test
    void theFirstRecordOfAKeyIsEmittedAsItIsWithoutCallingTheFunction() throws Exception {
        OperatorFixture f = OperatorFixture.keyed();
        KeyedReduceOperator<Integer, Integer> op = new KeyedReduceOperator<>(v -> v % 3, (a, b) -> {
            throw new AssertionError("reduce called for a key's first record: " + a + ", " + b);
        }, Types.INT);
        op.open(f.setup);
        op.processRecord(0, 0L);
        op.processRecord(1, 0L);
        op.processRecord(2, 0L);
        assertEquals(List.of(0, 1, 2), f.main.values());
    }

    @Test
    void runningSumsMatchBruteForce() throws Exception {
        long seed = 2024L;
        Random random = new Random(seed);
        OperatorFixture f = OperatorFixture.keyed();
        KeyedReduceOperator<String, Item> op = new KeyedReduceOperator<>(Item::key,
                (a, b) -> new Item(a.key(), a.amount() + b.amount()), Types.of(Item.class));
        op.open(f.setup);
        Map<String, Long> sums = new HashMap<>();
        List<Object> expected = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            Item item = new Item("key-" + random.nextInt(500), random.nextInt(2001) - 1000);
            long sum = sums.merge(item.key(), item.amount(), Long::sum);
            expected.add(new Item(item.key(), sum));
            op.processRecord(item, i);
        }
        assertEquals(expected, f.main.values(), "seed " + seed);
    }

    @Test
    void watermarksPassThrough() throws Exception {
        OperatorFixture f = OperatorFixture.keyed();
        KeyedReduceOperator<Long, Long> op = new KeyedReduceOperator<>(v -> v % 2, Long::sum, Types.LONG);
        op.open(f.setup);
        op.processRecord(1L, 1L);
        op.processWatermark(3L);
        op.processRecord(3L, 4L);
        assertEquals(List.of(new Rec(1L, 1L), new OperatorFixture.Wm(3L), new Rec(4L, 4L)), f.main.events);
    }
}
