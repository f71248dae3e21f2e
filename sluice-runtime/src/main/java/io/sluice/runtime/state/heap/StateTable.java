package io.sluice.runtime.state.heap;

import io.sluice.api.types.FlatCodec;
import io.sluice.runtime.hashing.OpenAddressing;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * An open-addressing hash map from state keys to state values for one state and one key group: linear probing over
 * two arrays (keys beside their values, hashes beside their epochs), the hash kept so that mismatches rarely touch the
 * key object, backward-shift
 * deletion (no tombstones). Task thread only, except {@link #release}.
 *
 * <p>Why not {@link java.util.HashMap}: a state access is "find the slot once, then read and maybe write it";
 * exposing slots lets a value state read and update with one probe, and there is no node object per entry.
 *
 * <p><b>Snapshots are copy-on-write.</b> {@link #snapshot()} copies the arrays (a memory copy, no serialization) and
 * starts a new epoch; the values existing at that moment are then shared with the snapshot until it is
 * {@linkplain #release released} (written or dropped). Each entry carries the epoch in which its value was put or last
 * copied, so an entry is shared exactly when its epoch is older than the newest pending snapshot's. The invariant:
 * <em>an entry that is not shared owns its value deeply</em>, that is no pending snapshot reaches any mutable object
 * in it. So a value handed to code that may change it in place (user code reading state, a list append, a reducer)
 * is got through {@link #unsharedValueAt}, which first replaces a shared value by a deep copy; a value set with
 * {@link #setValueAt} or {@link #insert} must be owned (new, or got through {@link #unsharedValueAt}); a value that
 * holds the same objects as the old one (a time-to-live renewal) is set with {@link #rewrapAt}, which keeps the
 * entry's epoch. With no snapshot pending nothing is shared, and a copied entry is not copied again: the hot path
 * compares two ints and allocates nothing. So the task thread continues at once while the snapshot is serialized
 * elsewhere, and the snapshot holds exactly the state of its synchronous part.
 *
 * <p><b>Flat values.</b> A table given a {@link FlatCodec} (boxed primitives, records of primitives: immutable values)
 * keeps each value as {@code long}s beside the slot's primitive key instead of as a reference: a lookup then finds
 * the value in the line it loads for the key, not one dependent cache miss later, and the young collector has no
 * value objects to copy (with 10^6 keys each update of a keyed count made one that outlived the next collection).
 * {@link #valueAt} builds a new value from them on each call; a snapshot copies the {@code long}s, so nothing is ever
 * shared and no value needs a copy before a change.
 *
 * <p>The hash passed in is the key's mixed hash (see {@code KeyGroups}); keys of one key group share its low bits,
 * so slots are chosen from the high bits (Fibonacci hashing).
 *
 * <p><b>Keys in order, slots in order.</b> A table of {@code Long} keys starts by placing keys that are close in value
 * in nearby slots: blocks of {@value #KEY_ORDER_BLOCK} consecutive keys are spread over the table by a hash of the
 * block, and a key's place inside its block's run of slots is its low bits. Ids handed out in sequence (auctions,
 * orders, sessions) are then looked up where the previous ids were, in cache lines already loaded or about to be
 * (the hardware prefetcher follows the run): with a million keys and a fresh id every few records, this halved the
 * time of a lookup, whose cost was a cache miss at each new id (docs/benchmarks.md). Keys that are not in any order
 * spread as well as by a hash, since their blocks are hashed; keys of one block never share a slot, since they differ
 * in their low bits. Keys crowd only where many blocks hash to the same run; should a key pattern do that, so that
 * the inserts since the last rehash land more than {@value #MAX_KEY_ORDER_PROBE} slots past their homes on average,
 * the table turns to hashed homes (the keys' mixed hashes) for good, with one rehash: a bad key pattern costs one
 * rebuild, never long probes.
 */
final class StateTable {
    private static final int MIN_BITS = 2;
    /** Keys per block of consecutive keys that keep their order in slots (see the class comment): a power of two. */
    static final int KEY_ORDER_BLOCK = 16;
    private static final int KEY_ORDER_BITS = Integer.numberOfTrailingZeros(KEY_ORDER_BLOCK);
    /**
     * The most slots past their key-order homes that inserts may land on average, counted over at least
     * {@link #KEY_ORDER_MIN_INSERTS} inserts since the last rehash, before the table turns to hashed homes. With hashed
     * homes in a table at most three quarters full, inserts land about 3 slots past theirs on average over the
     * table's growth, about 8.5 just before it grows.
     */
    static final int MAX_KEY_ORDER_PROBE = 16;
    private static final int KEY_ORDER_MIN_INSERTS = 64;

    private int bits = MIN_BITS;
    /**
     * Slot {@code i}'s key at {@code 2i} and value at {@code 2i + 1}: side by side, so a lookup that finds its key
     * has the value's reference in the same cache line (with 10^6 keys every lookup is a cache miss, and each array
     * touched is one more). A table of {@code Long} keys keeps its keys in {@link #longs} only (here {@code null}),
     * and one that also keeps its values flat has no such array at all ({@code null}): no key or value objects for
     * the collector to trace or promote, and no reference stored into an old array on each insert.
     */
    private Object[] entries;
    /**
     * Slot {@code i}'s key hash at {@code 2i} and, at {@code 2i + 1}, the epoch in which its value was put or last
     * copied (below {@link #sharedBelow} means shared): side by side for the same reason. Flat values are never shared,
     * so a flat table writes no epochs: an update touches the line of its slot in {@link #longs} only.
     */
    private int[] meta = new int[2 << MIN_BITS];
    /**
     * Slot {@code i}'s primitive part at {@code stride * i}: for a table of {@code Long} keys first the key as a
     * primitive and 1 if the slot is taken (0 if empty), then a flat value's {@code long}s. {@code null} if there is
     * neither. A lookup of a {@code Long} key reads this array only: it compares the primitive instead of calling
     * {@code equals} on the stored key (one more cache miss to wait for), and finds a flat value in the same line.
     */
    private long[] longs;
    private final boolean longKeys;
    /** Whether slots follow key order ({@code Long} keys, until a key pattern crowds them): see the class comment. */
    private boolean keyOrderHomes;
    /** Inserts since the last rehash, and how many slots past their key-order homes they landed in all. */
    private int keyOrderInserts;
    private long keyOrderDistance;
    /** How values are kept in {@link #longs}; {@code null} for values kept as references in {@link #entries}. */
    private final FlatCodec flat;
    /** The {@code long}s of one slot in {@link #longs}. */
    private final int stride;
    /** Where a slot's flat value starts in its part of {@link #longs}: after the key and its flag, if there are. */
    private final int valueOffset;
    private int size;
    /** The epoch of values put now; a snapshot takes the current one and starts the next. */
    private int epoch;
    /**
     * One more than the newest pending snapshot's epoch, 0 if none is pending: entries of a lower epoch are shared.
     * Volatile because a snapshot is released on the thread that wrote it: seeing the release, the task thread also
     * sees that the writer is done reading the values it is about to change.
     */
    private volatile int sharedBelow;
    /** The epochs of the snapshots not yet released; guarded by {@code this}. */
    private final PendingEpochs pending = new PendingEpochs();
    /** Changes whenever slots move or appear; a remembered slot is valid only within one version. */
    private int version;

    /**
     * The entries of a table at a snapshot's moment: arrays no longer written by the table; its reference values are
     * shared, its flat values copied.
     */
    static final class Snapshot {
        /** As the table's (see {@link StateTable#entries}): {@code null} for a table of Long keys and flat values. */
        private final Object[] entries;
        private final long[] longs;
        private final boolean longKeys;
        private final int capacity;
        private final FlatCodec flat;
        private final int stride;
        private final int valueOffset;
        private final int epoch;

        private Snapshot(StateTable table) {
            this.entries = table.entries == null ? null : Arrays.copyOf(table.entries, table.entries.length);
            this.flat = table.flat;
            this.longs = table.longs == null ? null : Arrays.copyOf(table.longs, table.longs.length);
            this.longKeys = table.longKeys;
            this.capacity = 1 << table.bits;
            this.stride = table.stride;
            this.valueOffset = table.valueOffset;
            this.epoch = table.epoch;
        }

        /** The slots, empty ones included. */
        int capacity() {
            return capacity;
        }

        /** The key in {@code slot}, {@code null} if empty. */
        Object keyAt(int slot) {
            return StateTable.keyAt(longKeys, entries, longs, stride, slot);
        }

        /** The value the snapshot holds in {@code slot} (a new one on each call for flat values). */
        Object valueAt(int slot) {
            return flat == null ? entries[2 * slot + 1] : flat.load(longs, stride * slot + valueOffset);
        }

        int epoch() {
            return epoch;
        }
    }

    /** A table of any keys and reference values. */
    StateTable() {
        this(false, null);
    }

    /**
     * @param longKeys whether its keys are all {@code Long}s (see {@link #longs})
     * @param flat     how its values are kept flat, or {@code null} to keep them as references
     */
    StateTable(boolean longKeys, FlatCodec flat) {
        this.longKeys = longKeys;
        this.keyOrderHomes = longKeys;
        this.flat = flat;
        this.valueOffset = longKeys ? 2 : 0;
        this.stride = valueOffset + (flat == null ? 0 : flat.width());
        this.longs = longKeys || flat != null ? new long[stride << MIN_BITS] : null;
        this.entries = longKeys && flat != null ? null : new Object[2 << MIN_BITS];
    }

    int size() {
        return size;
    }

    int version() {
        return version;
    }

    private int home(int hash) {
        return OpenAddressing.homeInBits(hash, bits);
    }

    /** The home slot of a key of mixed hash {@code hash} ({@code key} is read only for key-order homes). */
    private int home(long key, int hash) {
        return keyOrderHomes ? keyOrderHome(key) : home(hash);
    }

    /** The home of the entry in {@code slot} of arrays laid out as this table's (the current ones or the old ones). */
    private int homeOfSlot(int slot, int[] meta, long[] longs) {
        return keyOrderHomes ? keyOrderHome(longs[stride * slot]) : home(meta[2 * slot]);
    }

    /** The key's block's run of slots (a hash of the block), then its place in the run (its low bits). */
    private int keyOrderHome(long key) {
        if (bits <= KEY_ORDER_BITS) {
            return (int) key & ((1 << bits) - 1);
        }
        int run = (int) (((key >> KEY_ORDER_BITS) * 0x9E3779B97F4A7C15L) >>> (64 - bits));
        return (run & -KEY_ORDER_BLOCK) | ((int) key & (KEY_ORDER_BLOCK - 1));
    }

    /** Whether the table still places keys in key order (tests). */
    boolean keyOrderHomes() {
        return keyOrderHomes;
    }

    /** The longest distance of an entry from its home, in slots (tests). */
    int longestProbe() {
        int mask = (1 << bits) - 1;
        int longest = 0;
        for (int i = 0; i <= mask; i++) {
            if (taken(i)) {
                longest = Math.max(longest, (i - homeOfSlot(i, meta, longs)) & mask);
            }
        }
        return longest;
    }

    /** The slot of {@code key}, or {@code -1 - insertionSlot} if absent. */
    int find(Object key, int hash) {
        if (longKeys) {
            return findLong(longKey(key), hash);
        }
        int mask = (1 << bits) - 1;
        int i = home(hash);
        while (true) {
            Object k = entries[2 * i];
            if (k == null) {
                return -1 - i;
            }
            if (meta[2 * i] == hash && (k == key || k.equals(key))) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    private int findLong(long key, int hash) {
        int mask = (1 << bits) - 1;
        int i = home(key, hash);
        while (true) {
            int at = stride * i;
            if (longs[at + 1] == 0) {
                return -1 - i;
            }
            if (longs[at] == key) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    private static long longKey(Object key) {
        if (key instanceof Long l) {
            return l;
        }
        throw new IllegalArgumentException("a state keyed by Long was given a key of type " + key.getClass().getName()
                + " (" + key + "): does the key selector return the key type the job declared?");
    }

    Object keyAt(int slot) {
        return keyAt(longKeys, entries, longs, stride, slot);
    }

    /** The key of {@code slot} in a table's (or snapshot's) arrays, boxed from {@code longs} for Long keys. */
    private static Object keyAt(boolean longKeys, Object[] entries, long[] longs, int stride, int slot) {
        if (longKeys) {
            return longs[stride * slot + 1] == 0 ? null : Long.valueOf(longs[stride * slot]);
        }
        return entries[2 * slot];
    }

    /** Whether {@code slot} holds an entry. */
    private boolean taken(int slot) {
        return longKeys ? longs[stride * slot + 1] != 0 : entries[2 * slot] != null;
    }

    /**
     * The value at {@code slot}, for reading only: nothing in it may be changed or handed to code that may. A flat
     * value is built anew on each call (and may be changed: the table does not keep it).
     */
    Object valueAt(int slot) {
        return flat == null ? entries[2 * slot + 1] : flat.load(longs, stride * slot + valueOffset);
    }

    /**
     * The value at {@code slot}, safe to change in place: if a pending snapshot shares it, it is first replaced by
     * {@code copier}'s deep copy (which then belongs to the table alone).
     */
    Object unsharedValueAt(int slot, UnaryOperator<Object> copier) {
        if (flat != null) {
            return valueAt(slot); // a new value, never shared
        }
        if (meta[2 * slot + 1] < sharedBelow) {
            entries[2 * slot + 1] = copier.apply(entries[2 * slot + 1]);
            meta[2 * slot + 1] = epoch;
        }
        return entries[2 * slot + 1];
    }

    /** Replaces the value at {@code slot} by one the table owns: new, or got through {@link #unsharedValueAt}. */
    void setValueAt(int slot, Object value) {
        if (flat != null) {
            flat.store(value, longs, stride * slot + valueOffset);
        } else {
            entries[2 * slot + 1] = value;
            meta[2 * slot + 1] = epoch;
        }
    }

    /**
     * Replaces the value at {@code slot} by one holding the same objects (a time-to-live value renewed): the entry
     * stays shared if it was, so a later change still copies it first.
     */
    void rewrapAt(int slot, Object value) {
        if (flat != null) {
            flat.store(value, longs, stride * slot + valueOffset);
        } else {
            entries[2 * slot + 1] = value;
        }
    }

    /** Inserts at the insertion slot {@link #find} returned (encoded as {@code -1 - slot}); returns the slot used. */
    int insert(int encodedSlot, Object key, int hash, Object value) {
        if ((size + 1) * 4 > (3 << bits)) {
            rehash(bits + 1);
            encodedSlot = find(key, hash);
        }
        if (keyOrderHomes && keysCrowd(-1 - encodedSlot, longKey(key))) {
            keyOrderHomes = false; // hash them instead, for good
            rehash(bits);
            encodedSlot = find(key, hash);
        }
        int slot = -1 - encodedSlot;
        meta[2 * slot] = hash;
        if (longKeys) {
            longs[stride * slot] = longKey(key);
            longs[stride * slot + 1] = 1;
        } else {
            entries[2 * slot] = key;
        }
        setValueAt(slot, value);
        size++;
        version++;
        return slot;
    }

    /** Counts an insert into {@code slot}; whether the keys so far crowd into few slots of their runs. */
    private boolean keysCrowd(int slot, long key) {
        keyOrderInserts++;
        keyOrderDistance += (slot - keyOrderHome(key)) & ((1 << bits) - 1);
        return keyOrderInserts >= KEY_ORDER_MIN_INSERTS && keyOrderDistance > (long) MAX_KEY_ORDER_PROBE * keyOrderInserts;
    }

    void removeAt(int slot) {
        int mask = (1 << bits) - 1;
        int gap = slot;
        int i = (slot + 1) & mask;
        while (taken(i)) {
            int home = homeOfSlot(i, meta, longs);
            // Move entry i into the gap if the gap lies on its probe path (between its home and i, cyclically).
            if (((i - home) & mask) >= ((i - gap) & mask)) {
                moveSlot(i, gap);
                gap = i;
            }
            i = (i + 1) & mask;
        }
        if (entries != null) {
            entries[2 * gap] = null;
            entries[2 * gap + 1] = null;
        }
        if (longKeys) {
            longs[stride * gap + 1] = 0;
        }
        size--;
        version++;
    }

    private void moveSlot(int from, int to) {
        if (entries != null) {
            entries[2 * to] = entries[2 * from];
            entries[2 * to + 1] = entries[2 * from + 1];
        }
        meta[2 * to] = meta[2 * from];
        meta[2 * to + 1] = meta[2 * from + 1];
        if (longs != null) {
            System.arraycopy(longs, stride * from, longs, stride * to, stride);
        }
    }

    /** Moves every entry into new arrays of {@code 2^newBits} slots, each to its home as the table places keys now. */
    private void rehash(int newBits) {
        Object[] oldEntries = entries;
        int[] oldMeta = meta;
        long[] oldLongs = longs;
        int oldCapacity = 1 << bits;
        bits = newBits;
        keyOrderInserts = 0;
        keyOrderDistance = 0;
        entries = oldEntries == null ? null : new Object[2 << bits];
        meta = new int[2 << bits];
        longs = oldLongs == null ? null : new long[stride << bits];
        for (int i = 0; i < oldCapacity; i++) {
            if (longKeys ? oldLongs[stride * i + 1] != 0 : oldEntries[2 * i] != null) {
                int slot = freeSlot(homeOfSlot(i, oldMeta, oldLongs));
                if (entries != null) {
                    entries[2 * slot] = oldEntries[2 * i];
                    entries[2 * slot + 1] = oldEntries[2 * i + 1];
                }
                meta[2 * slot] = oldMeta[2 * i];
                meta[2 * slot + 1] = oldMeta[2 * i + 1];
                if (longs != null) {
                    System.arraycopy(oldLongs, stride * i, longs, stride * slot, stride);
                }
            }
        }
        version++;
    }

    /** The first free slot on the probe path from {@code home}: where a key known to be absent goes. */
    private int freeSlot(int home) {
        int mask = (1 << bits) - 1;
        int i = home;
        while (taken(i)) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /**
     * Copies the entries as they are now and starts a new epoch: the synchronous part of a snapshot. The values are
     * shared until the snapshot is {@linkplain #release released}.
     */
    Snapshot snapshot() {
        Snapshot s = new Snapshot(this);
        synchronized (this) {
            pending.add(epoch);
            sharedBelow = epoch + 1;
        }
        epoch++;
        return s;
    }

    /**
     * The snapshot no longer reads its values (it was written, or will not be): entries it alone shared need no copy
     * any more. Any thread; releasing twice does nothing the second time.
     */
    synchronized void release(Snapshot snapshot) {
        if (pending.remove(snapshot.epoch())) {
            sharedBelow = pending.isEmpty() ? 0 : pending.newest() + 1;
        }
    }
}
