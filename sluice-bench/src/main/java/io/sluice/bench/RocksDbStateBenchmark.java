package io.sluice.bench;

import io.sluice.api.state.MapState;
import io.sluice.api.state.MapStateDescriptor;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.state.heap.HeapKeyedStateBackend;
import io.sluice.state.rocksdb.RocksDbKeyedStateBackend;
import io.sluice.state.rocksdb.RocksDbOptions;
import io.sluice.state.rocksdb.RocksDbOptionsCustomizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Statistics;
import org.rocksdb.StatsLevel;
import org.rocksdb.TickerType;

/**
 * Keyed state get+put on the RocksDB backend beside the heap backend and plain {@link HashMap}s, single-threaded, with
 * many keys (default 10^6) so that RocksDB reads from its block cache and SST files rather than only its memtable:
 * <ul>
 *   <li>value state: switch to a key, {@code value()}, {@code update(value + 1)}; the loop does {@code get} and
 *       {@code put} on a {@code HashMap<Long, Long>};</li>
 *   <li>map state: switch to a key, {@code get(k)}, {@code put(k, value + 1)} for one of 8 map keys; the loop uses a
 *       {@code HashMap<Long, HashMap<Integer, Long>>}.</li>
 * </ul>
 * Every structure is first loaded with every key (map state: all 8 map keys of every key), so each operation finds an
 * existing entry. Keys are pre-boxed {@code Long}s picked by the same allocation-free uniform pseudo-random sequence
 * for every variant. Each measurement runs for a fixed time (checked every 256 operations); the variants alternate
 * for several rounds and the medians and ratios are printed. RocksDB keeps statistics (level
 * {@code EXCEPT_DETAILED_TIMERS}) so that the report can say where its reads were served from; the system property
 * {@code sluice.bench.rocksdb.stats=false} turns them off to see what they cost. Reported, never asserted.
 *
 * <p>Usage: {@code bin/sluice bench rocksdb [seconds] [rounds] [keys] [rocksdb-memory] [dir] [rocksdb.KEY=VALUE...]}
 * (defaults 1.5 s per measurement, 5 rounds, 1,000,000 keys, 64mb, {@code java.io.tmpdir}); trailing {@code KEY=VALUE}
 * arguments are RocksDB state backend options as a job sets them, e.g. {@code rocksdb.bloom-bits-per-key=0} or
 * {@code rocksdb.options-customizer=io.sluice.bench.PartitionedFilters}.
 */
public final class RocksDbStateBenchmark {
    private static final int MAP_KEYS = 8;
    private static final int CHUNK = 256;
    private static final long SEED = 0x5EED;
    private static final int MAX_PARALLELISM = 128;

    private final Long[] keys;
    private final int keyCount;
    private final long measureNanos;
    private final RocksDbOptions options;
    private final Path dir;

    private RocksDbStateBenchmark(int keyCount, long measureNanos, RocksDbOptions options, Path dir) {
        this.keyCount = keyCount;
        this.measureNanos = measureNanos;
        this.options = options;
        this.dir = dir;
        keys = new Long[keyCount];
        for (int i = 0; i < keyCount; i++) {
            keys[i] = (long) i * 7919;
        }
    }

    public static void main(String[] allArgs) throws Exception {
        String[] args = BenchSupport.positional(allArgs);
        Map<String, String> rocksOptions = BenchSupport.options(allArgs);
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1.5;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int keyCount = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        long memory = BenchSupport.bytes(args.length > 3 ? args[3] : "64mb");
        Path dir = Path.of(args.length > 4 ? args[4] : System.getProperty("java.io.tmpdir"));
        System.out.printf(Locale.ROOT, "keyed state get+put, RocksDB beside heap and HashMap: %,d keys, %.1f s per "
                + "measurement, %d rounds, RocksDB memory budget %s, RocksDB files under %s%n", keyCount, seconds, rounds,
                BenchSupport.mib(memory), dir);
        RocksDbOptions options = RocksDbOptions.fromMap(rocksOptions).withMemoryBudget(memory);
        System.out.println("RocksDB options: " + options);
        System.out.println(BenchSupport.machine());
        RocksDbStateBenchmark b = new RocksDbStateBenchmark(keyCount, (long) (seconds * 1e9), options, dir);
        Files.createDirectories(dir);
        double[] value = b.valuePhase(rounds);
        double[] map = b.mapPhase(rounds);
        System.out.printf(Locale.ROOT, "RESULT value_loop_ops=%.0f value_heap_ops=%.0f value_rocksdb_ops=%.0f "
                        + "value_heap_ratio=%.3f value_rocksdb_ratio=%.3f value_rocksdb_vs_heap=%.3f "
                        + "map_loop_ops=%.0f map_heap_ops=%.0f map_rocksdb_ops=%.0f map_heap_ratio=%.3f "
                        + "map_rocksdb_ratio=%.3f map_rocksdb_vs_heap=%.3f%n",
                value[0], value[1], value[2], value[1] / value[0], value[2] / value[0], value[2] / value[1],
                map[0], map[1], map[2], map[1] / map[0], map[2] / map[0], map[2] / map[1]);
    }

    // ---- phases: build and load, warm up, alternate ----

    private double[] valuePhase(int rounds) throws Exception {
        List<Double> loop = new ArrayList<>();
        List<Double> heap = new ArrayList<>();
        List<Double> rocks = new ArrayList<>();
        HashMap<Long, Long> counts = new HashMap<>();
        HeapKeyedStateBackend heapBackend = heapBackend();
        StatsCustomizer stats = new StatsCustomizer();
        try (RocksDbKeyedStateBackend rocksBackend = rocksBackend(stats)) {
            ValueStateDescriptor<Long> d = new ValueStateDescriptor<>("count", Types.LONG);
            ValueState<Long> heapState = heapBackend.getState(d);
            ValueState<Long> rocksState = rocksBackend.getState(d);
            long t0 = System.nanoTime();
            for (int i = 0; i < keyCount; i++) {
                counts.put(keys[i], 1L);
                heapBackend.setCurrentKey(keys[i]);
                heapState.update(1L);
                rocksBackend.setCurrentKey(keys[i]);
                rocksState.update(1L);
            }
            System.out.printf(Locale.ROOT, "value state: loaded %,d keys into all three in %.1f s%n", keyCount,
                    (System.nanoTime() - t0) / 1e9);
            long[] cursors = new long[3];
            // warm-up: one measurement each, not reported
            valueLoop(counts, cursors, 0);
            valueState(heapBackend, heapState, cursors, 1);
            valueState(rocksBackend, rocksState, cursors, 2);
            for (int r = 0; r < rounds; r++) {
                long gc0 = BenchSupport.gcMillis();
                loop.add(valueLoop(counts, cursors, 0));
                long gc1 = BenchSupport.gcMillis();
                heap.add(valueState(heapBackend, heapState, cursors, 1));
                long gc2 = BenchSupport.gcMillis();
                long[] before = stats.snapshot();
                rocks.add(valueState(rocksBackend, rocksState, cursors, 2));
                String where = stats.describe(before, stats.snapshot());
                long gc3 = BenchSupport.gcMillis();
                System.out.printf(Locale.ROOT, "value round %d: HashMap %,.0f op/s  heap %,.0f op/s  RocksDB %,.0f op/s  "
                        + "(GC ms %d/%d/%d; RocksDB gets: %s)%n", r + 1, loop.getLast(), heap.getLast(), rocks.getLast(),
                        gc1 - gc0, gc2 - gc1, gc3 - gc2, where);
            }
            System.out.printf(Locale.ROOT, "value state: RocksDB files on disk %s (sst %s), RocksDB native memory %s%n",
                    BenchSupport.mib(BenchSupport.directorySize(rocksBackend.directory())),
                    BenchSupport.mib(stats.sstBytes(rocksBackend)), BenchSupport.mib(rocksBackend.nativeMemoryUsage()));
        }
        heapBackend.close();
        return summarize("value", loop, heap, rocks);
    }

    private double[] mapPhase(int rounds) throws Exception {
        List<Double> loop = new ArrayList<>();
        List<Double> heap = new ArrayList<>();
        List<Double> rocks = new ArrayList<>();
        HashMap<Long, HashMap<Integer, Long>> maps = new HashMap<>();
        HeapKeyedStateBackend heapBackend = heapBackend();
        StatsCustomizer stats = new StatsCustomizer();
        try (RocksDbKeyedStateBackend rocksBackend = rocksBackend(stats)) {
            MapStateDescriptor<Integer, Long> d = new MapStateDescriptor<>("counts", Types.INT, Types.LONG);
            MapState<Integer, Long> heapState = heapBackend.getState(d);
            MapState<Integer, Long> rocksState = rocksBackend.getState(d);
            long t0 = System.nanoTime();
            for (int i = 0; i < keyCount; i++) {
                HashMap<Integer, Long> m = new HashMap<>();
                maps.put(keys[i], m);
                heapBackend.setCurrentKey(keys[i]);
                rocksBackend.setCurrentKey(keys[i]);
                for (int k = 0; k < MAP_KEYS; k++) {
                    m.put(k, 1L);
                    heapState.put(k, 1L);
                    rocksState.put(k, 1L);
                }
            }
            System.out.printf(Locale.ROOT, "map state: loaded %,d keys x %d map keys into all three in %.1f s%n", keyCount,
                    MAP_KEYS, (System.nanoTime() - t0) / 1e9);
            long[] cursors = new long[3];
            mapLoop(maps, cursors, 0);
            mapState(heapBackend, heapState, cursors, 1);
            mapState(rocksBackend, rocksState, cursors, 2);
            for (int r = 0; r < rounds; r++) {
                long gc0 = BenchSupport.gcMillis();
                loop.add(mapLoop(maps, cursors, 0));
                long gc1 = BenchSupport.gcMillis();
                heap.add(mapState(heapBackend, heapState, cursors, 1));
                long gc2 = BenchSupport.gcMillis();
                long[] before = stats.snapshot();
                rocks.add(mapState(rocksBackend, rocksState, cursors, 2));
                String where = stats.describe(before, stats.snapshot());
                long gc3 = BenchSupport.gcMillis();
                System.out.printf(Locale.ROOT, "map round %d: HashMap %,.0f op/s  heap %,.0f op/s  RocksDB %,.0f op/s  "
                        + "(GC ms %d/%d/%d; RocksDB gets: %s)%n", r + 1, loop.getLast(), heap.getLast(), rocks.getLast(),
                        gc1 - gc0, gc2 - gc1, gc3 - gc2, where);
            }
            System.out.printf(Locale.ROOT, "map state: RocksDB files on disk %s (sst %s), RocksDB native memory %s%n",
                    BenchSupport.mib(BenchSupport.directorySize(rocksBackend.directory())),
                    BenchSupport.mib(stats.sstBytes(rocksBackend)), BenchSupport.mib(rocksBackend.nativeMemoryUsage()));
        }
        heapBackend.close();
        return summarize("map", loop, heap, rocks);
    }

    private static double[] summarize(String what, List<Double> loop, List<Double> heap, List<Double> rocks) {
        double l = BenchSupport.median(loop);
        double h = BenchSupport.median(heap);
        double r = BenchSupport.median(rocks);
        System.out.printf(Locale.ROOT, "%s medians: HashMap %,.0f op/s, heap %,.0f op/s (%.3f of HashMap, min-max %,.0f-%,.0f), "
                        + "RocksDB %,.0f op/s (%.3f of HashMap, %.3f of heap, min-max %,.0f-%,.0f)%n", what, l, h, h / l,
                BenchSupport.min(heap), BenchSupport.max(heap), r, r / l, r / h, BenchSupport.min(rocks), BenchSupport.max(rocks));
        return new double[] {l, h, r};
    }

    private static HeapKeyedStateBackend heapBackend() {
        return new HeapKeyedStateBackend(new KeyGroupRange(0, MAX_PARALLELISM), MAX_PARALLELISM, Types.LONG, () -> 0L);
    }

    private RocksDbKeyedStateBackend rocksBackend(StatsCustomizer stats) throws java.io.IOException {
        return new RocksDbKeyedStateBackend(new KeyGroupRange(0, MAX_PARALLELISM), MAX_PARALLELISM, Types.LONG, () -> 0L,
                dir, options.withCustomizer(stats.around(options.customizer().orElse(null))));
    }

    // ---- measurements: each runs for measureNanos, continuing its own cursor in the shared key sequence ----

    private static double perSecond(long ops, long startNanos, long checksum) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        if (checksum == 42) {
            System.out.print(""); // keeps the result alive
        }
        return ops / seconds;
    }

    double valueLoop(HashMap<Long, Long> counts, long[] cursors, int slot) {
        long c = cursors[slot];
        long ops = 0;
        long checksum = 0;
        long start = System.nanoTime();
        do {
            for (int j = 0; j < CHUNK; j++) {
                Long key = keys[BenchSupport.keyIndex(c++, SEED, keyCount)];
                Long v = counts.get(key);
                long next = v == null ? 1 : v + 1;
                counts.put(key, next);
                checksum += next;
            }
            ops += CHUNK;
        } while (System.nanoTime() - start < measureNanos);
        cursors[slot] = c;
        return perSecond(ops, start, checksum);
    }

    double valueState(KeyedStateBackend backend, ValueState<Long> count, long[] cursors, int slot) {
        long c = cursors[slot];
        long ops = 0;
        long checksum = 0;
        long start = System.nanoTime();
        do {
            for (int j = 0; j < CHUNK; j++) {
                backend.setCurrentKey(keys[BenchSupport.keyIndex(c++, SEED, keyCount)]);
                Long v = count.value();
                long next = v == null ? 1 : v + 1;
                count.update(next);
                checksum += next;
            }
            ops += CHUNK;
        } while (System.nanoTime() - start < measureNanos);
        cursors[slot] = c;
        return perSecond(ops, start, checksum);
    }

    double mapLoop(HashMap<Long, HashMap<Integer, Long>> maps, long[] cursors, int slot) {
        long c = cursors[slot];
        long ops = 0;
        long checksum = 0;
        long start = System.nanoTime();
        do {
            for (int j = 0; j < CHUNK; j++) {
                Long key = keys[BenchSupport.keyIndex(c, SEED, keyCount)];
                Integer mapKey = (int) (c++ & (MAP_KEYS - 1));
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
            ops += CHUNK;
        } while (System.nanoTime() - start < measureNanos);
        cursors[slot] = c;
        return perSecond(ops, start, checksum);
    }

    double mapState(KeyedStateBackend backend, MapState<Integer, Long> counts, long[] cursors, int slot) throws Exception {
        long c = cursors[slot];
        long ops = 0;
        long checksum = 0;
        long start = System.nanoTime();
        do {
            for (int j = 0; j < CHUNK; j++) {
                backend.setCurrentKey(keys[BenchSupport.keyIndex(c, SEED, keyCount)]);
                Integer mapKey = (int) (c++ & (MAP_KEYS - 1));
                Long v = counts.get(mapKey);
                long next = v == null ? 1 : v + 1;
                counts.put(mapKey, next);
                checksum += next;
            }
            ops += CHUNK;
        } while (System.nanoTime() - start < measureNanos);
        cursors[slot] = c;
        return perSecond(ops, start, checksum);
    }

    /** RocksDB statistics: where gets were served from (memtable, block cache, SST file reads). */
    static final class StatsCustomizer implements RocksDbOptionsCustomizer {
        private static final TickerType[] TICKERS = {TickerType.MEMTABLE_HIT, TickerType.MEMTABLE_MISS,
                TickerType.BLOCK_CACHE_DATA_HIT, TickerType.BLOCK_CACHE_DATA_MISS, TickerType.BLOCK_CACHE_INDEX_MISS,
                TickerType.BLOCK_CACHE_FILTER_MISS, TickerType.GET_HIT_L0, TickerType.GET_HIT_L1,
                TickerType.GET_HIT_L2_AND_UP, TickerType.BLOOM_FILTER_USEFUL};
        /** {@code -Dsluice.bench.rocksdb.stats=false} turns the statistics off, to see what they cost. */
        static final boolean ENABLED = !"false".equals(System.getProperty("sluice.bench.rocksdb.stats"));
        private volatile Statistics statistics;
        private RocksDbOptionsCustomizer delegate;

        /** This customizer after {@code customizer} (the one the options named, or {@code null}). */
        StatsCustomizer around(RocksDbOptionsCustomizer customizer) {
            delegate = customizer;
            return this;
        }

        @Override
        public void customizeTable(BlockBasedTableConfig table, ResourceOwner owner) {
            if (delegate != null) {
                delegate.customizeTable(table, owner);
            }
        }

        @Override
        public void customizeColumnOptions(ColumnFamilyOptions options, ResourceOwner owner) {
            if (delegate != null) {
                delegate.customizeColumnOptions(options, owner);
            }
        }

        @Override
        public void customizeDbOptions(DBOptions options, ResourceOwner owner) {
            if (delegate != null) {
                delegate.customizeDbOptions(options, owner);
            }
            if (!ENABLED) {
                return;
            }
            Statistics s = owner.own(new Statistics());
            s.setStatsLevel(StatsLevel.EXCEPT_DETAILED_TIMERS);
            options.setStatistics(s);
            statistics = s;
        }

        long[] snapshot() {
            long[] values = new long[TICKERS.length];
            if (statistics == null) {
                return values;
            }
            for (int i = 0; i < TICKERS.length; i++) {
                values[i] = statistics.getTickerCount(TICKERS[i]);
            }
            return values;
        }

        /** Per get: share answered by the memtable, and of the others the data-block cache hit ratio and files read. */
        String describe(long[] before, long[] after) {
            if (statistics == null) {
                return "statistics off";
            }
            long[] d = new long[before.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = after[i] - before[i];
            }
            long gets = d[0] + d[1];
            long dataLookups = d[2] + d[3];
            return String.format(Locale.ROOT, "%.0f%% from memtable; data blocks %.0f%% from cache, %.2f block reads "
                            + "from SST files per get (index/filter misses %d); found in L0 %d, L1 %d, L2+ %d",
                    100.0 * d[0] / Math.max(1, gets), 100.0 * d[2] / Math.max(1, dataLookups),
                    d[3] / (double) Math.max(1, gets), d[4] + d[5], d[6], d[7], d[8]);
        }

        long sstBytes(RocksDbKeyedStateBackend backend) {
            long total = 0;
            try (var files = Files.walk(backend.directory())) {
                for (Path p : files.filter(p -> p.toString().endsWith(".sst")).toList()) {
                    total += Files.size(p);
                }
            } catch (Exception e) {
                return -1;
            }
            return total;
        }
    }
}
