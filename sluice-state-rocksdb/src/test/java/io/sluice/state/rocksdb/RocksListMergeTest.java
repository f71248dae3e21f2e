package io.sluice.state.rocksdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.api.state.ListState;
import io.sluice.api.state.ListStateDescriptor;
import io.sluice.api.state.StateTtlConfig;
import io.sluice.api.types.Types;
import io.sluice.runtime.state.InternalKeyedState;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateSnapshot;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;

/** List state appends are RocksDB merges with a concatenating operator: checked raw, and through the state API. */
class RocksListMergeTest {
    static {
        RocksDB.loadLibrary();
    }

    @TempDir
    Path tmp;

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theMergeOperatorConcatenatesWithNoDelimiter() throws Exception {
        Deque<AutoCloseable> owned = new ArrayDeque<>();
        try {
            NativeOptions options = NativeOptions.create(RocksDbOptions.defaults().withMemoryBudget(8L << 20),
                    new RocksDbOptionsCustomizer.ResourceOwner() {
                        @Override
                        public <T extends AutoCloseable> T own(T resource) {
                            owned.push(resource);
                            return resource;
                        }
                    });
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            RocksDB db = RocksDB.open(options.dbOptions, tmp.resolve("db").toString(), List.of(
                    new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, options.columnOptions),
                    new ColumnFamilyDescriptor(bytes("list"), options.columnOptions)), handles);
            owned.push(db);
            handles.forEach(owned::push);
            ColumnFamilyHandle cf = handles.get(1);
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            // commas, zero bytes and empty operands: nothing is inserted between operands, nothing dropped
            for (byte[] operand : List.of(bytes("ab"), bytes(","), new byte[0], new byte[] {0, 0}, bytes("c,d"))) {
                db.merge(cf, bytes("k"), operand);
                expected.writeBytes(operand);
            }
            assertArrayEquals(expected.toByteArray(), db.get(cf, bytes("k")));
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                db.flush(flush, cf);
                db.merge(cf, bytes("k"), bytes("e")); // an operand in the memtable over operands in a file
                expected.writeBytes(bytes("e"));
                assertArrayEquals(expected.toByteArray(), db.get(cf, bytes("k")));
                db.flush(flush, cf);
                db.compactRange(cf);
            }
            assertArrayEquals(expected.toByteArray(), db.get(cf, bytes("k")));
            db.put(cf, bytes("p"), bytes("base"));
            db.merge(cf, bytes("p"), bytes("+1"));
            assertArrayEquals(bytes("base+1"), db.get(cf, bytes("p")));
            db.delete(cf, bytes("p"));
            db.merge(cf, bytes("p"), bytes("fresh"));
            assertArrayEquals(bytes("fresh"), db.get(cf, bytes("p")));
        } finally {
            while (!owned.isEmpty()) {
                owned.pop().close();
            }
        }
    }

    static final ListStateDescriptor<String> LIST = new ListStateDescriptor<>("list", Types.STRING);

    RocksDbKeyedStateBackend backend(AtomicLong clock, boolean incremental) throws Exception {
        return new RocksDbKeyedStateBackend(new KeyGroupRange(0, 32), 32, Types.INT, clock::get, tmp.resolve("state"),
                RocksDbOptions.defaults().withMemoryBudget(8L << 20).withIncremental(incremental));
    }

    static void checkAll(RocksDbKeyedStateBackend b, ListState<String> list, Map<List<Object>, List<String>> oracle,
            int keys, List<String> namespaces, String where) {
        for (int key = 0; key < keys; key++) {
            b.setCurrentKey(key);
            for (String ns : namespaces) {
                ((InternalKeyedState) list).setCurrentNamespace(ns);
                assertEquals(oracle.getOrDefault(List.of(key, ns), List.of()), list.get(), where + " key " + key + "/" + ns);
            }
        }
    }

    /** Full snapshots read merged lists; incremental ones copy files holding merge operands, merged after restore. */
    @ParameterizedTest(name = "incremental snapshots: {0}")
    @ValueSource(booleans = {false, true})
    void appendsAcrossFlushesAndCompactionsMatchAnOracleAndSurviveSnapshots(boolean incremental) throws Exception {
        CheckpointedSnapshots checkpoints = new CheckpointedSnapshots(tmp.resolve("checkpoints"), 1);
        Random random = new Random(7);
        int keys = 50;
        List<String> namespaces = List.of("a", "b", "c");
        Map<List<Object>, List<String>> oracle = new HashMap<>();
        AtomicLong clock = new AtomicLong();
        KeyedStateSnapshot snapshot;
        try (RocksDbKeyedStateBackend b = backend(clock, incremental)) {
            ListState<String> list = b.getNamespacedState(LIST, Types.STRING);
            for (int step = 0; step < 30_000; step++) {
                int key = random.nextInt(keys);
                String ns = namespaces.get(random.nextInt(namespaces.size()));
                b.setCurrentKey(key);
                ((InternalKeyedState) list).setCurrentNamespace(ns);
                List<Object> id = List.of(key, ns);
                String at = "step " + step;
                switch (random.nextInt(20)) {
                    case 0 -> {
                        list.update(List.of("u" + step));
                        oracle.put(id, new ArrayList<>(List.of("u" + step)));
                    }
                    case 1 -> {
                        list.clear();
                        oracle.remove(id);
                    }
                    case 2 -> assertEquals(oracle.getOrDefault(id, List.of()), list.get(), at);
                    case 3 -> {
                        List<String> sources = namespaces.stream().filter(s -> !s.equals(ns) && random.nextBoolean()).toList();
                        ((InternalKeyedState) list).mergeNamespaces(ns, sources);
                        for (String s : sources) {
                            List<String> moved = oracle.remove(List.of(key, s));
                            if (moved != null) {
                                oracle.computeIfAbsent(id, k -> new ArrayList<>()).addAll(moved);
                            }
                        }
                    }
                    case 4 -> {
                        List<String> more = List.of("x" + step, "y" + step);
                        list.addAll(more);
                        oracle.computeIfAbsent(id, k -> new ArrayList<>()).addAll(more);
                    }
                    default -> {
                        String element = "e" + step + "," + random.nextInt(1000); // commas are data, not delimiters
                        list.add(element);
                        oracle.computeIfAbsent(id, k -> new ArrayList<>()).add(element);
                    }
                }
                if (step % 3_000 == 2_999) {
                    b.flushAndCompactForTests(); // merge operands meet their base values in files
                }
            }
            for (int key = 0; key < keys; key++) { // the last appends stay merge operands in the memtable
                b.setCurrentKey(key);
                ((InternalKeyedState) list).setCurrentNamespace("c");
                list.add("last" + key);
                oracle.computeIfAbsent(List.of(key, "c"), k -> new ArrayList<>()).add("last" + key);
            }
            snapshot = checkpoints.checkpoint(b);
            checkAll(b, list, oracle, keys, namespaces, "after appends");
            b.setCurrentKey(0);
            ((InternalKeyedState) list).setCurrentNamespace("a");
            list.add("after the snapshot");
        }
        try (RocksDbKeyedStateBackend r = backend(clock, incremental)) {
            r.restore(List.of(snapshot));
            ListState<String> list = r.getNamespacedState(LIST, Types.STRING);
            checkAll(r, list, oracle, keys, namespaces, "restored");
            r.setCurrentKey(3);
            ((InternalKeyedState) list).setCurrentNamespace("b");
            list.add("appended after restore");
            oracle.computeIfAbsent(List.of(3, "b"), k -> new ArrayList<>()).add("appended after restore");
            r.flushAndCompactForTests();
            checkAll(r, list, oracle, keys, namespaces, "restored and appended");
        }
    }

    @Test
    void mergedUnitsExpireOneByOne() throws Exception {
        AtomicLong clock = new AtomicLong(1_000);
        ListStateDescriptor<String> ttlList = LIST.withTtl(StateTtlConfig.of(Duration.ofMillis(100)));
        CheckpointedSnapshots checkpoints = new CheckpointedSnapshots(tmp.resolve("checkpoints"), 1);
        try (RocksDbKeyedStateBackend b = backend(clock, false)) {
            ListState<String> list = b.getState(ttlList);
            b.setCurrentKey(1);
            list.add("a"); // expires at 1100
            b.flushAndCompactForTests();
            clock.set(1_050);
            list.addAll(List.of("b", "c")); // expire at 1150, merged over the compacted "a"
            clock.set(1_099);
            assertEquals(List.of("a", "b", "c"), list.get());
            clock.set(1_100);
            KeyedStateSnapshot snapshot = checkpoints.checkpoint(b);
            assertEquals(List.of("b", "c"), list.get());
            list.add("d"); // expires at 1200
            b.flushAndCompactForTests();
            clock.set(1_150);
            assertEquals(List.of("d"), list.get());
            clock.set(1_200);
            assertEquals(List.of(), list.get());
            assertEquals(0, b.entryCount("list"), "a list whose units all expired is deleted when read");

            clock.set(1_120);
            try (RocksDbKeyedStateBackend r = backend(clock, false)) {
                r.restore(List.of(snapshot));
                r.setCurrentKey(1);
                ListState<String> restored = r.getState(ttlList);
                assertEquals(List.of("b", "c"), restored.get(), "the snapshot left out the expired unit");
                restored.add("e");
                clock.set(1_150);
                assertEquals(List.of("e"), restored.get());
            }
        }
    }
}
