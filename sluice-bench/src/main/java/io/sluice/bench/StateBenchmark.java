package io.sluice.bench;

import io.sluice.api.state.MapState;
import io.sluice.api.state.MapStateDescriptor;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.heap.HeapKeyedStateBackend;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;

/**
 * Keyed state access on the heap backend beside the same work on plain {@link HashMap}s, single-threaded:
 * <ul>
 *   <li>value state: per operation, switch to a key, {@code value()}, {@code update(value + 1)} — a running count;
 *       the loop does {@code get} and {@code put} on a {@code HashMap<Long, Long>};</li>
 *   <li>map state: switch to a key, {@code get(k)}, {@code put(k, value + 1)} for one of 8 map keys; the loop does the
 *       same on a {@code HashMap<Long, HashMap<Integer, Long>>}.</li>
 * </ul>
 * Keys are pre-boxed and visited in a pseudo-random order (the same for both sides). Variants run alternately for
 * several rounds; the medians and the state/loop ratios are printed. Reported, never asserted.
 *
 * <p>Usage: {@code bin/sluice bench state [operations] [rounds] [keys]} (defaults 10,000,000, 5 and 10,000).
 */
public final class StateBenchmark {
    private static final int MAP_KEYS = 8;

    private final Long[] keys;
    private final int[] order;

    private StateBenchmark(int keyCount) {
        keys = new Long[keyCount];
        for (int i = 0; i < keyCount; i++) {
            keys[i] = (long) i * 7919;
        }
        order = new int[1 << 16];
        long x = 42;
        for (int i = 0; i < order.length; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L; // a fixed LCG: the same order every run
            order[i] = (int) ((x >>> 33) % keyCount);
        }
    }

    public static void main(String[] args) {
        long ops = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int keyCount = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        System.out.printf(Locale.ROOT, "state access: %,d operations per measurement, %,d keys, %d rounds%n", ops, keyCount, rounds);
        System.out.printf(Locale.ROOT, "JDK %s, %d cores, max heap %d MiB%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        StateBenchmark b = new StateBenchmark(keyCount);
        b.valueLoop(ops / 4); // warm-up
        b.valueState(ops / 4);
        b.mapLoop(ops / 4);
        b.mapState(ops / 4);
        List<Double> valueLoop = new ArrayList<>();
        List<Double> valueState = new ArrayList<>();
        List<Double> mapLoop = new ArrayList<>();
        List<Double> mapState = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            valueLoop.add(b.valueLoop(ops));
            valueState.add(b.valueState(ops));
            mapLoop.add(b.mapLoop(ops));
            mapState.add(b.mapState(ops));
            System.out.printf(Locale.ROOT, "round %d: value loop %,.0f op/s  value state %,.0f op/s  map loop %,.0f op/s  map state %,.0f op/s%n",
                    r + 1, valueLoop.getLast(), valueState.getLast(), mapLoop.getLast(), mapState.getLast());
        }
        double vl = PipelineBenchmark.median(valueLoop);
        double vs = PipelineBenchmark.median(valueState);
        double ml = PipelineBenchmark.median(mapLoop);
        double ms = PipelineBenchmark.median(mapState);
        System.out.printf(Locale.ROOT, "RESULT value_loop_ops=%.0f value_state_ops=%.0f value_ratio=%.2f map_loop_ops=%.0f "
                + "map_state_ops=%.0f map_ratio=%.2f%n", vl, vs, vs / vl, ml, ms, ms / ml);
    }

    private static HeapKeyedStateBackend backend() {
        return new HeapKeyedStateBackend(new KeyGroupRange(0, 128), 128, Types.LONG, () -> 0L);
    }

    private static double perSecond(long ops, long startNanos, long checksum) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        if (checksum == 42) {
            System.out.print(""); // keeps the result alive
        }
        return ops / seconds;
    }

    double valueLoop(long ops) {
        HashMap<Long, Long> counts = new HashMap<>();
        long checksum = 0;
        long start = System.nanoTime();
        for (long i = 0; i < ops; i++) {
            Long key = keys[order[(int) i & (order.length - 1)]];
            Long v = counts.get(key);
            long next = v == null ? 1 : v + 1;
            counts.put(key, next);
            checksum += next;
        }
        return perSecond(ops, start, checksum);
    }

    double valueState(long ops) {
        HeapKeyedStateBackend backend = backend();
        ValueState<Long> count = backend.getState(new ValueStateDescriptor<>("count", Types.LONG));
        long checksum = 0;
        long start = System.nanoTime();
        for (long i = 0; i < ops; i++) {
            backend.setCurrentKey(keys[order[(int) i & (order.length - 1)]]);
            Long v = count.value();
            long next = v == null ? 1 : v + 1;
            count.update(next);
            checksum += next;
        }
        return perSecond(ops, start, checksum);
    }

    double mapLoop(long ops) {
        HashMap<Long, HashMap<Integer, Long>> maps = new HashMap<>();
        long checksum = 0;
        long start = System.nanoTime();
        for (long i = 0; i < ops; i++) {
            Long key = keys[order[(int) i & (order.length - 1)]];
            Integer mapKey = (int) (i % MAP_KEYS);
            HashMap<Integer, Long> map = maps.get(key);
            if (map == null) {
                map = new HashMap<>();
                maps.put(key, map);
            }
            Long v = map.get(mapKey);
            long next = v == null ? 1 : v + 1;
            map.put(mapKey, next);
            checksum += next;
        }
        return perSecond(ops, start, checksum);
    }

    double mapState(long ops) {
        HeapKeyedStateBackend backend = backend();
        MapState<Integer, Long> counts = backend.getState(new MapStateDescriptor<>("counts", Types.INT, Types.LONG));
        long checksum = 0;
        long start = System.nanoTime();
        for (long i = 0; i < ops; i++) {
            backend.setCurrentKey(keys[order[(int) i & (order.length - 1)]]);
            Integer mapKey = (int) (i % MAP_KEYS);
            Long v = counts.get(mapKey);
            long next = v == null ? 1 : v + 1;
            counts.put(mapKey, next);
            checksum += next;
        }
        return perSecond(ops, start, checksum);
    }
}
