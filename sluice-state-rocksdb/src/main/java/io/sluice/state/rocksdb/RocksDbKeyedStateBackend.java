package io.sluice.state.rocksdb;

import io.sluice.api.state.State;
import io.sluice.api.state.StateDescriptor;
import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyGroups;
import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.state.SnapshotKind;
import io.sluice.runtime.state.StateOwner;
import io.sluice.runtime.timer.TimerQueues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Keyed state in RocksDB: one database per backend in a directory it owns (deleted on close), one column family per
 * state. Keys are {@code [key group: 2 bytes, big-endian][serialized key][serialized namespace]} (nothing for the
 * void namespace; map state appends the serialized map key), so a key-group range is a contiguous key range. Values
 * are encoded as {@link StateKind} describes, with TTL expiry inside the value.
 *
 * <p>Memory: a budget per backend ({@link RocksDbOptions#memoryBudgetBytes()}, derived from the machine by default)
 * shared by one LRU block cache (index and filter blocks cached in it with high priority) and a write buffer manager
 * charging the memtables to the same cache ({@link MemorySplit}, {@link NativeOptions}), so RocksDB's native memory is
 * bounded by the budget however many states there are. List appends are merges ({@link RocksListState}).
 *
 * <p>Timers live in RocksDB too, one column family per timer service ({@link TimerColumn}, {@link RocksTimerQueue}).
 * Checkpoints are incremental ({@link IncrementalSnapshots}: native files) or full; savepoints are always full. A
 * full snapshot's synchronous part takes a RocksDB snapshot, its asynchronous part reads it in key-group order into
 * the canonical format every backend reads ({@link RocksSnapshotWriter}). Restores read the canonical format, this
 * backend's incremental files and its older full-snapshot blocks ({@link SnapshotRestore}); restored state is checked
 * against the serializers the job declares when the operator registers it.
 */
public final class RocksDbKeyedStateBackend implements KeyedStateBackend {
    static {
        RocksDB.loadLibrary();
    }

    /**
     * A fixed 64 MiB budget, for callers that want one. Not the default any more: that is derived from the machine
     * ({@link RocksDbOptions#defaultMemoryBudget()}).
     */
    public static final long DEFAULT_MEMORY_BUDGET = 64L << 20;
    /** The start of each backend's own database directory's name. */
    private static final String DIRECTORY_PREFIX = "sluice-rocksdb-";

    private final KeyGroupRange range;
    private final int maxParallelism;
    private final TypeSerializer<Object> keySerializer;
    private final LongSupplier clock;
    private final StateOwner owner;
    private final Path directory;
    private final NativeHandles natives = new NativeHandles();
    private final RocksDbOptions options;
    private final DBOptions dbOptions;
    private final Cache blockCache;
    /** The lease of the memory budget, told the memtables' size at each snapshot (monitoring). */
    private final MemtableGauge memtables;
    private final ColumnFamilyOptions columnOptions;
    private final WriteOptions writeOptions;
    private final ReadOptions readOptions;
    /** In front of the point-access columns; {@code null} when switched off ({@link RocksDbOptions#writeCacheBytes()}). */
    private final WriteBackCache cache;
    /** Replaced only by a restore of native files, before any state is used. */
    private RocksDB db;

    private final ColumnRegistry columns = new ColumnRegistry(this::createColumnFamily);
    private final Map<String, AbstractRocksState> handles = new LinkedHashMap<>();
    private final TimerServices timers = new TimerServices(this, columns);
    private final IncrementalSnapshots incremental;
    private final Set<RocksSnapshotWriter> pending = new LinkedHashSet<>();
    /** The backend's own directory: database and local checkpoints, deleted on close but for what uploads hold. */
    private final BackendDirectory files;
    private final Object lifecycle = new Object();
    /** Guarded by lifecycle. */
    private boolean closed;
    private boolean used;

    private Object currentKey;
    private byte[] currentKeyBytes;
    private final Bytes.Out keyOut = new Bytes.Out(64);


    /**
     * @param owner           the operator subtask whose state this is, named in errors
     * @param range           the key groups this subtask owns
     * @param maxParallelism  the job's number of key groups (at most 32768: the key group prefix is 2 bytes)
     * @param keySerializer   the keys' serializer
     * @param clock           processing time in milliseconds, for time-to-live
     * @param parentDirectory where this backend creates its own database directory; {@code null} for the JVM's
     *                        temporary directory
     * @param options         memory budget, table and compaction settings, customizer ({@link RocksDbOptions})
     * @throws IllegalArgumentException when the options customizer breaks the memory budget's settings
     */
    @SuppressWarnings("unchecked")
    public RocksDbKeyedStateBackend(StateOwner owner, KeyGroupRange range, int maxParallelism,
            TypeSerializer<?> keySerializer, LongSupplier clock, Path parentDirectory, RocksDbOptions options)
            throws IOException {
        if (maxParallelism < 1 || maxParallelism > 1 << 15) {
            // Two-byte key-group prefixes, and the end of the last range must fit them too (deleteRange).
            throw new IllegalArgumentException("maxParallelism must be in [1, 32768], was " + maxParallelism);
        }
        if (range.end() > maxParallelism) {
            throw new IllegalArgumentException("key group range " + range + " exceeds maxParallelism " + maxParallelism);
        }
        this.owner = owner;
        this.range = range;
        this.maxParallelism = maxParallelism;
        this.keySerializer = (TypeSerializer<Object>) keySerializer;
        this.clock = clock;
        this.options = options;
        if (parentDirectory != null) {
            Files.createDirectories(parentDirectory);
        }
        // Without a parent the JDK picks its temporary directory: no property is read here.
        this.directory = parentDirectory == null ? Files.createTempDirectory(DIRECTORY_PREFIX)
                : Files.createTempDirectory(parentDirectory, DIRECTORY_PREFIX);
        this.files = new BackendDirectory(directory);
        this.incremental = new IncrementalSnapshots(directory, range, files);
        try {
            // block cache, write buffer manager, filters, merge operator, customizer: all owned, closed with us
            NativeOptions nativeOptions = NativeOptions.create(options, natives::own,
                    options.sharedMemoryName().map(name -> name + "/subtask-" + owner.subtask()).orElse(null));
            blockCache = nativeOptions.blockCache;
            memtables = new MemtableGauge(nativeOptions.memory);
            dbOptions = nativeOptions.dbOptions;
            columnOptions = nativeOptions.columnOptions;
            writeOptions = natives.own(new WriteOptions().setDisableWAL(true)); // state is recovered from snapshots
            readOptions = natives.own(new ReadOptions());
            openDatabase(List.of());
            cache = options.writeCacheBytes() == 0 ? null : new WriteBackCache(this::get, this::write,
                    options.writeCacheBytes(), WriteBackCache.maxBatchBytes(MemorySplit.of(options)));
        } catch (RocksDBException | RuntimeException e) {
            natives.closeAll();
            files.close();
            if (e instanceof IllegalArgumentException invalid) {
                throw invalid; // a customizer's mistake, not an I/O problem
            }
            throw new IOException("cannot open RocksDB in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** A backend outside a job (tests, benchmarks): its errors name no operator. */
    public RocksDbKeyedStateBackend(KeyGroupRange range, int maxParallelism, TypeSerializer<?> keySerializer,
            LongSupplier clock, Path parentDirectory, RocksDbOptions options) throws IOException {
        this(StateOwner.UNNAMED, range, maxParallelism, keySerializer, clock, parentDirectory, options);
    }

    /** A backend with the default options but a memory budget of {@code memoryBudgetBytes} (at least 1 MiB). */
    public RocksDbKeyedStateBackend(KeyGroupRange range, int maxParallelism, TypeSerializer<?> keySerializer,
            LongSupplier clock, Path parentDirectory, long memoryBudgetBytes) throws IOException {
        this(range, maxParallelism, keySerializer, clock, parentDirectory,
                RocksDbOptions.defaults().withMemoryBudget(memoryBudgetBytes));
    }

    /** A backend with {@link RocksDbOptions#defaults()}: the memory budget derived from the machine. */
    public RocksDbKeyedStateBackend(KeyGroupRange range, int maxParallelism, TypeSerializer<?> keySerializer,
            LongSupplier clock, Path parentDirectory) throws IOException {
        this(range, maxParallelism, keySerializer, clock, parentDirectory, RocksDbOptions.defaults());
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
        natives.ownWithDatabase(db);
        opened.forEach(natives::ownWithDatabase);
        return opened.subList(1, opened.size());
    }

    /** Closes the database and its column family handles (not the options and cache). */
    void closeDatabase() {
        natives.closeDatabase();
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
        memtables.onKeySwitch(db);
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

    /** Whose state this is, for errors. */
    StateOwner owner() {
        return owner;
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
    @SuppressWarnings("unchecked")
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
        AbstractRocksState handle = StateHandles.register(this, owner, columns, descriptor, keySerializer,
                namespaceSerializer, clock.getAsLong());
        handles.put(descriptor.name(), handle);
        return (S) handle;
    }

    /** The state and timer columns (restores adopt, create and check them). */
    ColumnRegistry columns() {
        return columns;
    }

    void addRestoredTimers(String service, RocksSnapshotWriter.RawSegment segment) {
        timers.addRestored(service, segment);
    }

    DBOptions dbOptions() {
        return dbOptions;
    }

    ColumnFamilyOptions columnOptions() {
        return columnOptions;
    }

    // ---- timers (in RocksDB: RocksTimerQueue) ----

    @Override
    public TimerQueues timerQueues(String name, TypeSerializer<?> namespaceSerializer) {
        ensureOpen();
        used = true;
        return timers.queues(name, namespaceSerializer);
    }

    // ---- snapshots ----

    /**
     * An incremental checkpoint when {@link RocksDbOptions#incremental()}; else, and for every savepoint, a full
     * snapshot in the canonical format.
     */
    @Override
    public PendingSnapshot snapshot(SnapshotKind kind) {
        ensureOpen();
        flushWriteCache(); // both kinds of snapshot read RocksDB itself
        memtables.report(db);
        Map<String, List<RocksSnapshotWriter.RawSegment>> raw = timers.unregisteredRestored();
        if (options.incremental() && kind == SnapshotKind.CHECKPOINT) {
            try {
                return incremental.capture(db, columns.states(), List.copyOf(columns.timerColumns()), raw, clock.getAsLong());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<RocksSnapshotWriter.CapturedColumn> captured = new ArrayList<>();
        for (StateColumn c : columns.states()) {
            captured.add(new RocksSnapshotWriter.CapturedColumn(c, c.header()));
        }
        List<RocksSnapshotWriter.CapturedTimers> capturedTimers = new ArrayList<>();
        for (TimerColumn t : columns.timerColumns()) {
            capturedTimers.add(new RocksSnapshotWriter.CapturedTimers(t, t.header()));
        }
        synchronized (lifecycle) {
            RocksSnapshotWriter writer = new RocksSnapshotWriter(this, kind, db.getSnapshot(), captured, capturedTimers, raw,
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

    /** A full snapshot that will not be written: its RocksDB snapshot is released (unless the close did it). */
    void releaseUnwritten(RocksSnapshotWriter writer) {
        synchronized (lifecycle) {
            if (!closed && pending.remove(writer)) {
                db.releaseSnapshot(writer.rocksSnapshot());
            }
        }
    }

    @Override
    public void restore(Collection<KeyedStateSnapshot> snapshots) throws IOException {
        ensureOpen();
        if (used || (cache != null && !cache.isEmpty())) {
            throw new IllegalStateException("restore must come before any state is used");
        }
        // Strict from here on: a restored database that is not whole must fail to open, never open empty.
        dbOptions.setCreateIfMissing(false).setCreateMissingColumnFamilies(false);
        SnapshotRestore.run(this, snapshots);
    }

    /** Refuses incremental state of another format, or whose file set is not a whole RocksDB database. */
    @Override
    public void checkRestorable(KeyedStateSnapshot snapshot) throws IOException {
        SnapshotRestore.check(snapshot);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        incremental.notifyComplete(checkpointId);
    }

    // ---- RocksDB access for the state handles ----

    /**
     * The write-back cache for a state of {@code kind}, or {@code null}: only value, reducing and aggregating state go
     * through it, being read and written by key alone (list appends are merges, map state iterates).
     */
    WriteBackCache writeCacheFor(StateKind kind) {
        return kind == StateKind.LIST || kind == StateKind.MAP ? null : cache;
    }

    /** Writes the write-back cache's dirty entries to RocksDB, before anything iterates the state columns. */
    void flushWriteCache() {
        if (cache != null) {
            cache.flush();
        }
    }

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

    /** Appends {@code value} to the value at {@code key} (plain concatenation: the column's merge operator). */
    void merge(ColumnFamilyHandle cf, byte[] key, byte[] value) {
        try {
            db.merge(cf, writeOptions, key, value);
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

    void deleteRange(ColumnFamilyHandle cf, byte[] begin, byte[] end) throws RocksDBException {
        db.deleteRange(cf, writeOptions, begin, end);
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

    /**
     * Native memory RocksDB accounts for, in bytes: the block cache's usage (data, index and filter blocks, and the
     * memtables, which the write buffer manager charges to the cache) plus the table readers' memory outside the cache.
     * Stays near {@link RocksDbOptions#memoryBudgetBytes()}; see {@link #memoryUsage()} for the parts. Task thread.
     */
    public long nativeMemoryUsage() {
        return memoryUsage().budgeted();
    }

    MemoryUsage memoryUsage() {
        ensureOpen();
        return MemoryUsage.of(blockCache, db);
    }

    /** The options this backend was created with. */
    RocksDbOptions options() {
        return options;
    }

    /** Tests: flushes every state's memtables and compacts its files fully (merge operands meet their base values). */
    void flushAndCompactForTests() {
        flushWriteCache();
        try (org.rocksdb.FlushOptions flush = new org.rocksdb.FlushOptions().setWaitForFlush(true)) {
            for (StateColumn c : columns.states()) {
                db.flush(flush, c.handle);
                db.compactRange(c.handle);
            }
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    /** Tests: how many RocksDB snapshots the database holds (full snapshots not yet written or released). */
    long liveRocksSnapshots() {
        try {
            return db.getLongProperty("rocksdb.num-snapshots");
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    /** The number of RocksDB entries of a state (map state: map entries), expired ones included. */
    public long entryCount(String stateName) {
        StateColumn c = columns.state(stateName);
        if (c == null) {
            return 0;
        }
        flushWriteCache();
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

    /**
     * Releases pending snapshots, closes every native handle (column families, database, options, cache) and deletes
     * the directory, except the local checkpoints that incremental uploads have taken over: the last of them to end
     * deletes what is left. An upload that had not started yet fails when it does.
     */
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
            if (cache != null) {
                cache.discard();
            }
            handles.clear();
            columns.clear();
            natives.closeAll();
        }
        // After the database is closed; an upload that took its local checkpoint over before keeps it.
        files.close();
        LifecycleProbe.current().afterClose(directory);
    }

    private ColumnFamilyHandle createColumnFamily(byte[] name) throws RocksDBException {
        return natives.ownWithDatabase(db.createColumnFamily(new ColumnFamilyDescriptor(name, columnOptions)));
    }
}
