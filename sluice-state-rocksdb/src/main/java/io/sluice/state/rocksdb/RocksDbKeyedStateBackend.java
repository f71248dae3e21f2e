package io.sluice.state.rocksdb;

import io.sluice.api.state.AggregatingStateDescriptor;
import io.sluice.api.state.ListStateDescriptor;
import io.sluice.api.state.MapStateDescriptor;
import io.sluice.api.state.ReducingStateDescriptor;
import io.sluice.api.state.State;
import io.sluice.api.state.StateDescriptor;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyGroups;
import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.state.VoidNamespace;
import io.sluice.runtime.timer.TimerQueue;
import io.sluice.runtime.timer.TimerQueues;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;

/**
 * Keyed state in RocksDB: one database per backend in a directory it owns (deleted on close), one column family per
 * state. Keys are {@code [key group: 2 bytes, big-endian][serialized key][serialized namespace]} (nothing for the
 * void namespace; map state appends the serialized map key), so a key-group range is a contiguous key range. Values
 * are encoded as {@link StateKind} describes, with TTL expiry inside the value.
 *
 * <p>Memory: one LRU block cache of {@code memoryBudgetBytes} (index and filter blocks cached in it with high
 * priority) and a write buffer manager charging its memtables to the same cache, so RocksDB's native memory is
 * bounded by the budget however many states there are.
 *
 * <p>Timers live in RocksDB too, one column family per timer service ({@link TimerColumn}, {@link RocksTimerQueue}).
 * Snapshots are full: the synchronous part takes a RocksDB snapshot, the asynchronous part iterates it
 * ({@link RocksSnapshotWriter}). The block format is this backend's own ({@link SnapshotFormat}).
 */
public final class RocksDbKeyedStateBackend implements KeyedStateBackend {
    static {
        RocksDB.loadLibrary();
    }

    /** The default memory budget: 64 MiB. */
    public static final long DEFAULT_MEMORY_BUDGET = 64L << 20;

    private static final String COLUMN_PREFIX = "state:";

    private final KeyGroupRange range;
    private final int maxParallelism;
    private final TypeSerializer<Object> keySerializer;
    private final LongSupplier clock;
    private final Path directory;
    /** Native objects in creation order; closed in reverse. */
    private final Deque<AutoCloseable> natives = new ArrayDeque<>();
    /** The open database and its column family handles, creation order; closed (in reverse) before {@link #natives}. */
    private final Deque<AutoCloseable> database = new ArrayDeque<>();
    private final DBOptions dbOptions;
    private final Cache blockCache;
    private final ColumnFamilyOptions columnOptions;
    private final WriteOptions writeOptions;
    private final ReadOptions readOptions;
    /** Replaced only by a restore of native files, before any state is used. */
    private RocksDB db;

    private final Map<String, StateColumn> columns = new LinkedHashMap<>();
    private final Map<String, AbstractRocksState> handles = new LinkedHashMap<>();
    private final Map<String, RegisteredTimers> timers = new LinkedHashMap<>();
    private final Map<String, TimerColumn> timerColumns = new LinkedHashMap<>();
    private final Map<String, List<RocksSnapshotWriter.RawSegment>> restoredTimers = new LinkedHashMap<>();
    private final Set<RocksSnapshotWriter> pending = new LinkedHashSet<>();
    private final Object lifecycle = new Object();
    private boolean closed;
    private boolean used;

    private Object currentKey;
    private byte[] currentKeyBytes;
    private final Bytes.Out keyOut = new Bytes.Out(64);

    private record RegisteredTimers(String name, TypeSerializer<Object> namespaceSerializer, TimerQueues queues) {}

    /**
     * @param range             the key groups this subtask owns
     * @param maxParallelism    the job's number of key groups (at most 65536: the key group prefix is 2 bytes)
     * @param keySerializer     the keys' serializer
     * @param clock             processing time in milliseconds, for time-to-live
     * @param parentDirectory   where this backend creates its own database directory
     * @param memoryBudgetBytes native memory for the block cache and memtables together
     */
    @SuppressWarnings("unchecked")
    public RocksDbKeyedStateBackend(KeyGroupRange range, int maxParallelism, TypeSerializer<?> keySerializer,
            LongSupplier clock, Path parentDirectory, long memoryBudgetBytes) throws IOException {
        if (maxParallelism < 1 || maxParallelism > 1 << 16) {
            throw new IllegalArgumentException("maxParallelism must be in [1, 65536], was " + maxParallelism);
        }
        if (range.end() > maxParallelism) {
            throw new IllegalArgumentException("key group range " + range + " exceeds maxParallelism " + maxParallelism);
        }
        if (memoryBudgetBytes < 1 << 20) {
            throw new IllegalArgumentException("memory budget must be at least 1 MiB, was " + memoryBudgetBytes);
        }
        this.range = range;
        this.maxParallelism = maxParallelism;
        this.keySerializer = (TypeSerializer<Object>) keySerializer;
        this.clock = clock;
        Files.createDirectories(parentDirectory);
        this.directory = Files.createTempDirectory(parentDirectory, "sluice-rocksdb-");
        try {
            blockCache = own(new LRUCache(memoryBudgetBytes, -1, false, 0.1));
            // Memtables charged to the block cache: half the budget at most (Flink's default write buffer ratio).
            WriteBufferManager writeBuffers = own(new WriteBufferManager(memoryBudgetBytes / 2, blockCache));
            BloomFilter bloom = own(new BloomFilter(10, false));
            BlockBasedTableConfig table = new BlockBasedTableConfig()
                    .setBlockCache(blockCache)
                    .setCacheIndexAndFilterBlocks(true)
                    .setCacheIndexAndFilterBlocksWithHighPriority(true)
                    .setPinL0FilterAndIndexBlocksInCache(true)
                    .setFilterPolicy(bloom)
                    .setBlockSize(16 * 1024);
            dbOptions = own(new DBOptions()
                    .setCreateIfMissing(true)
                    .setCreateMissingColumnFamilies(true)
                    .setWriteBufferManager(writeBuffers)
                    .setInfoLogLevel(InfoLogLevel.HEADER_LEVEL)
                    .setStatsDumpPeriodSec(0)
                    .setMaxOpenFiles(-1));
            columnOptions = own(new ColumnFamilyOptions()
                    .setTableFormatConfig(table)
                    .setWriteBufferSize(Math.max(1L << 20, Math.min(64L << 20, memoryBudgetBytes / 8))));
            writeOptions = own(new WriteOptions().setDisableWAL(true)); // state is recovered from snapshots
            readOptions = own(new ReadOptions());
            openDatabase(List.of());
        } catch (RocksDBException | RuntimeException e) {
            closeNatives();
            deleteDirectory();
            throw new IOException("cannot open RocksDB in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** A backend with {@link #DEFAULT_MEMORY_BUDGET}. */
    public RocksDbKeyedStateBackend(KeyGroupRange range, int maxParallelism, TypeSerializer<?> keySerializer,
            LongSupplier clock, Path parentDirectory) throws IOException {
        this(range, maxParallelism, keySerializer, clock, parentDirectory, DEFAULT_MEMORY_BUDGET);
    }

    private <T extends AutoCloseable> T own(T resource) {
        natives.push(resource);
        return resource;
    }

    /** The database's directory inside the backend's own directory (which also holds local checkpoints). */
    Path databasePath() {
        return directory.resolve("db");
    }

    /**
     * Opens the database in {@link #databasePath()} with the default column family and {@code columnFamilies}
     * (names of existing ones, for a database restored from files); returns their handles in that order.
     */
    List<ColumnFamilyHandle> openDatabase(List<byte[]> columnFamilies) throws RocksDBException {
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, columnOptions));
        for (byte[] name : columnFamilies) {
            descriptors.add(new ColumnFamilyDescriptor(name, columnOptions));
        }
        List<ColumnFamilyHandle> opened = new ArrayList<>();
        db = RocksDB.open(dbOptions, databasePath().toString(), descriptors, opened);
        database.push(db);
        opened.forEach(database::push);
        return opened.subList(1, opened.size());
    }

    /** Closes the database and its column family handles (not the options and cache). */
    void closeDatabase() {
        closeAll(database);
        db = null;
    }

    // ---- key context ----

    @Override
    public void setCurrentKey(Object key) {
        int keyGroup = KeyGroups.keyGroupOf(key, maxParallelism);
        if (!range.contains(keyGroup)) {
            throw new IllegalStateException("key " + key + " is in key group " + keyGroup + ", outside this subtask's range ["
                    + range.first() + ", " + range.end() + "): is the key selector deterministic?");
        }
        keyOut.reset();
        try {
            keyOut.data.writeShort(keyGroup);
            keySerializer.serialize(key, keyOut.data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        currentKeyBytes = keyOut.toByteArray();
        currentKey = key;
    }

    @Override
    public Object currentKey() {
        return currentKey;
    }

    /** {@code [key group][serialized key]} of the current key. */
    byte[] currentKeyBytes() {
        if (currentKeyBytes == null) {
            throw new IllegalStateException("no current key: setCurrentKey first");
        }
        return currentKeyBytes;
    }

    @Override
    public KeyGroupRange keyGroupRange() {
        return range;
    }

    int maxParallelism() {
        return maxParallelism;
    }

    TypeSerializer<Object> keySerializer() {
        return keySerializer;
    }

    long currentTime() {
        return clock.getAsLong();
    }

    // ---- states ----

    @Override
    public <S extends State> S getState(StateDescriptor<S> descriptor) {
        return getNamespacedState(descriptor, null);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <S extends State> S getNamespacedState(StateDescriptor<S> descriptor, TypeSerializer<?> namespaceSerializer) {
        ensureOpen();
        used = true;
        StateKind kind = StateKind.of(descriptor);
        AbstractRocksState existing = handles.get(descriptor.name());
        if (existing != null) {
            if (existing.column.kind != kind) {
                throw new IllegalStateException("state '" + descriptor.name() + "' is already registered as "
                        + existing.column.kind + " state, not " + kind);
            }
            return (S) existing;
        }
        boolean namespaced = namespaceSerializer != null;
        boolean ttl = descriptor.ttl() != null;
        StateColumn column = columns.get(descriptor.name());
        if (column == null) {
            column = createColumn(descriptor.name(), kind, namespaced, ttl);
        } else {
            if (column.kind != kind || column.namespaced != namespaced) {
                throw new IllegalStateException("state '" + descriptor.name() + "' was snapshotted as "
                        + (column.namespaced ? "namespaced " : "") + column.kind + " state, cannot restore it as "
                        + (namespaced ? "namespaced " : "") + kind + " state");
            }
            if (column.ttl != ttl) {
                convertTtl(column, ttl, ttl ? clock.getAsLong() + descriptor.ttl().timeToLive().toMillis() : 0);
            }
        }
        AbstractRocksState handle = switch (descriptor) {
            case ValueStateDescriptor<?> d -> new RocksValueState<>(this, column, d, namespaceSerializer);
            case ListStateDescriptor<?> d -> new RocksListState<>(this, column, d, namespaceSerializer);
            case MapStateDescriptor<?, ?> d -> new RocksMapState<>(this, column, d, namespaceSerializer);
            case ReducingStateDescriptor<?> d -> new RocksReducingState<>(this, column, d, namespaceSerializer);
            case AggregatingStateDescriptor<?, ?, ?> d -> new RocksAggregatingState(this, column, d, namespaceSerializer);
        };
        handles.put(descriptor.name(), handle);
        return (S) handle;
    }

    private StateColumn createColumn(String name, StateKind kind, boolean namespaced, boolean ttl) {
        try {
            ColumnFamilyHandle handle = ownColumn(db.createColumnFamily(new ColumnFamilyDescriptor(
                    (COLUMN_PREFIX + name).getBytes(StandardCharsets.UTF_8), columnOptions)));
            StateColumn column = new StateColumn(name, handle, kind, namespaced, ttl);
            columns.put(name, column);
            return column;
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    /** Rewrites a restored state's values when its TTL was switched on or off since the snapshot. */
    private void convertTtl(StateColumn column, boolean ttl, long expiresAt) {
        try (RocksIterator it = db.newIterator(column.handle); WriteBatch batch = new WriteBatch()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                batch.put(column.handle, it.key(), column.kind.convertTtl(it.value(), column.ttl, ttl, expiresAt));
            }
            check(it);
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw failure(e);
        }
        column.ttl = ttl;
    }

    // ---- timers (in RocksDB: RocksTimerQueue) ----

    @Override
    @SuppressWarnings("unchecked")
    public TimerQueues timerQueues(String name, TypeSerializer<?> namespaceSerializer) {
        ensureOpen();
        used = true;
        RegisteredTimers existing = timers.get(name);
        if (existing != null) {
            return existing.queues();
        }
        boolean namespaced = namespaceSerializer != null;
        TimerColumn column = timerColumns.get(name);
        if (column == null) {
            column = createTimerColumn(name, namespaced);
        } else if (column.namespaced != namespaced) {
            throw new IllegalStateException("timer service '" + name + "' was snapshotted " + (column.namespaced ? "with" : "without")
                    + " namespaces");
        }
        TypeSerializer<Object> ns = (TypeSerializer<Object>) namespaceSerializer;
        TimerQueues queues = new TimerQueues(
                new RocksTimerQueue(this, column, io.sluice.runtime.timer.TimerSnapshots.EVENT_TIME, ns),
                new RocksTimerQueue(this, column, io.sluice.runtime.timer.TimerSnapshots.PROCESSING_TIME, ns));
        RegisteredTimers registered = new RegisteredTimers(name, ns, queues);
        List<RocksSnapshotWriter.RawSegment> segments = restoredTimers.remove(name);
        if (segments != null) {
            try {
                for (RocksSnapshotWriter.RawSegment s : segments) {
                    decodeTimers(registered, s.bytes());
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot restore the timers of '" + name + "': " + e.getMessage(), e);
            }
        }
        timers.put(name, registered);
        return queues;
    }

    private TimerColumn createTimerColumn(String service, boolean namespaced) {
        try {
            ColumnFamilyHandle handle = ownColumn(db.createColumnFamily(new ColumnFamilyDescriptor(
                    (TimerColumn.PREFIX + service).getBytes(StandardCharsets.UTF_8), columnOptions)));
            TimerColumn column = new TimerColumn(service, handle, namespaced);
            timerColumns.put(service, column);
            return column;
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    private void decodeTimers(RegisteredTimers t, byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        boolean namespaced = in.readBoolean();
        if (namespaced != (t.namespaceSerializer() != null)) {
            throw new IOException("timer service '" + t.name() + "' was snapshotted " + (namespaced ? "with" : "without")
                    + " namespaces");
        }
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            byte domain = in.readByte();
            long time = in.readLong();
            Object key = keySerializer.deserialize(in);
            Object namespace = namespaced ? t.namespaceSerializer().deserialize(in) : VoidNamespace.INSTANCE;
            TimerQueue queue = domain == io.sluice.runtime.timer.TimerSnapshots.EVENT_TIME ? t.queues().eventTime() : t.queues().processingTime();
            queue.add(new TimerQueue.Timer(time, key, namespace));
        }
    }

    // ---- snapshots ----

    @Override
    public PendingSnapshot snapshot() {
        ensureOpen();
        List<RocksSnapshotWriter.CapturedColumn> captured = new ArrayList<>();
        for (StateColumn c : columns.values()) {
            captured.add(new RocksSnapshotWriter.CapturedColumn(c, c.ttl));
        }
        List<TimerColumn> capturedTimers = List.copyOf(timerColumns.values());
        Map<String, List<RocksSnapshotWriter.RawSegment>> raw = new HashMap<>();
        restoredTimers.forEach((k, v) -> raw.put(k, List.copyOf(v)));
        synchronized (lifecycle) {
            RocksSnapshotWriter writer = new RocksSnapshotWriter(this, db.getSnapshot(), captured, capturedTimers, raw,
                    clock.getAsLong());
            pending.add(writer);
            return writer;
        }
    }

    interface IoAction {
        void run() throws IOException;
    }

    /** Runs a snapshot's reads while the database is open, then releases the RocksDB snapshot. */
    void runWithOpenDb(Snapshot snapshot, IoAction action) throws IOException {
        synchronized (lifecycle) {
            if (closed) {
                throw new IOException("the RocksDB state backend was closed before the snapshot was written");
            }
            try {
                action.run();
            } finally {
                pending.removeIf(w -> w.rocksSnapshot() == snapshot);
                db.releaseSnapshot(snapshot);
            }
        }
    }

    @Override
    public void restore(Collection<KeyedStateSnapshot> snapshots) throws IOException {
        ensureOpen();
        if (used) {
            throw new IllegalStateException("restore must come before any state is used");
        }
        for (KeyedStateSnapshot snapshot : snapshots) {
            for (Map.Entry<Integer, byte[]> block : snapshot.keyGroups().entrySet()) {
                if (range.contains(block.getKey())) {
                    restoreBlock(block.getKey(), block.getValue());
                }
            }
        }
    }

    private void restoreBlock(int keyGroup, byte[] block) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(block));
        int segments = in.readInt();
        byte[] prefix = {(byte) (keyGroup >>> 8), (byte) keyGroup};
        try (WriteBatch batch = new WriteBatch()) {
            for (int i = 0; i < segments; i++) {
                byte type = in.readByte();
                String name = in.readUTF();
                byte[] content = in.readNBytes(in.readInt());
                if (type == SnapshotFormat.TIMERS) {
                    restoredTimers.computeIfAbsent(name, k -> new ArrayList<>())
                            .add(new RocksSnapshotWriter.RawSegment(keyGroup, content));
                    continue;
                }
                if (type != SnapshotFormat.STATE) {
                    throw new IOException("unknown segment type " + type + " in key group " + keyGroup);
                }
                DataInputStream s = new DataInputStream(new ByteArrayInputStream(content));
                StateKind kind = StateKind.values()[s.readByte()];
                boolean namespaced = s.readBoolean();
                boolean ttl = s.readBoolean();
                StateColumn column = columns.get(name);
                if (column == null) {
                    column = createColumn(name, kind, namespaced, ttl);
                } else if (column.kind != kind || column.namespaced != namespaced || column.ttl != ttl) {
                    throw new IOException("state '" + name + "' has inconsistent kinds across restored key groups");
                }
                int count = s.readInt();
                for (int e = 0; e < count; e++) {
                    byte[] key = Bytes.concat(prefix, s.readNBytes(s.readInt()));
                    byte[] value = s.readNBytes(s.readInt());
                    batch.put(column.handle, key, value);
                }
            }
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new IOException("cannot restore key group " + keyGroup + ": " + e.getMessage(), e);
        }
    }

    // ---- RocksDB access for the state handles ----

    byte[] get(ColumnFamilyHandle cf, byte[] key) {
        try {
            return db.get(cf, readOptions, key);
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    void put(ColumnFamilyHandle cf, byte[] key, byte[] value) {
        try {
            db.put(cf, writeOptions, key, value);
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    void delete(ColumnFamilyHandle cf, byte[] key) {
        try {
            db.delete(cf, writeOptions, key);
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    void write(WriteBatch batch) throws RocksDBException {
        db.write(writeOptions, batch);
    }

    RocksIterator newIterator(ColumnFamilyHandle cf) {
        return db.newIterator(cf, readOptions);
    }

    RocksIterator newIterator(ColumnFamilyHandle cf, ReadOptions options) {
        return db.newIterator(cf, options);
    }

    void check(RocksIterator it) {
        try {
            it.status();
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    static IllegalStateException failure(RocksDBException e) {
        return new IllegalStateException("RocksDB failed: " + e.getMessage(), e);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the RocksDB state backend is closed");
        }
    }

    // ---- observability (tests, metrics) ----

    /** The database directory (deleted on close). */
    public Path directory() {
        return directory;
    }

    /** Native memory RocksDB accounts for: block cache usage (memtables are charged to it) and memtable sizes. */
    public long nativeMemoryUsage() {
        ensureOpen();
        try {
            long memtables = 0;
            for (StateColumn c : columns.values()) {
                memtables += db.getLongProperty(c.handle, "rocksdb.cur-size-all-mem-tables");
            }
            return Math.max(blockCache.getUsage(), memtables);
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    /** The number of RocksDB entries of a state (map state: map entries), expired ones included. */
    public long entryCount(String stateName) {
        StateColumn c = columns.get(stateName);
        if (c == null) {
            return 0;
        }
        long n = 0;
        try (RocksIterator it = newIterator(c.handle)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                n++;
            }
            check(it);
        }
        return n;
    }

    // ---- closing ----

    /** Releases pending snapshots, closes every native handle (column families, database, options, cache) and deletes the directory. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            for (RocksSnapshotWriter w : pending) {
                db.releaseSnapshot(w.rocksSnapshot());
            }
            pending.clear();
            handles.clear();
            columns.clear();
            closeNatives();
        }
        deleteDirectory();
    }

    private ColumnFamilyHandle ownColumn(ColumnFamilyHandle handle) {
        database.push(handle);
        return handle;
    }

    private void closeNatives() {
        closeAll(database);
        closeAll(natives);
    }

    private static void closeAll(Deque<AutoCloseable> resources) {
        RuntimeException failure = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("cannot close a RocksDB resource", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void deleteDirectory() {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the RocksDB directory " + directory, e);
        }
    }
}
