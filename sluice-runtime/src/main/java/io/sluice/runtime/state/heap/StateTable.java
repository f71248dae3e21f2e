package io.sluice.runtime.state.heap;

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
 * <p>The hash passed in is the key's mixed hash (see {@code KeyGroups}); keys of one key group share its low bits,
 * so slots are chosen from the high bits (Fibonacci hashing).
 */
final class StateTable {
    private static final int MIN_BITS = 2;

    private int bits = MIN_BITS;
    /**
     * Slot {@code i}'s key at {@code 2i} and value at {@code 2i + 1}: side by side, so a lookup that finds its key
     * has the value's reference in the same cache line (with 10^6 keys every lookup is a cache miss, and each array
     * touched is one more).
     */
    private Object[] entries = new Object[2 << MIN_BITS];
    /**
     * Slot {@code i}'s key hash at {@code 2i} and, at {@code 2i + 1}, the epoch in which its value was put or last
     * copied (below {@link #sharedBelow} means shared): side by side for the same reason.
     */
    private int[] meta = new int[2 << MIN_BITS];
    /**
     * For a table of {@code Long} keys, slot {@code i}'s key as a primitive: a lookup compares it instead of calling
     * {@code equals} on the stored key, whose object is one more cache miss that the lookup would wait for (the
     * load of this array does not wait for the entry's). {@code null} for other keys.
     */
    private long[] longKeys;
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

    /** The entries of a table at a snapshot's moment: arrays no longer written by the table; its values are shared. */
    record Snapshot(Object[] entries, int size, int epoch) {
        // entries: as the table's, a key (null for an empty slot) at 2i and its value at 2i + 1

        /** The value the snapshot holds in {@code slot}. */
        Object valueAt(int slot) {
            return entries[2 * slot + 1];
        }
    }

    /** A table of any keys. */
    StateTable() {}

    /** With {@code longKeys}, a table whose keys are all {@code Long}s (see {@link #longKeys}). */
    StateTable(boolean longKeys) {
        this.longKeys = longKeys ? new long[1 << MIN_BITS] : null;
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

    /** The slot of {@code key}, or {@code -1 - insertionSlot} if absent. */
    int find(Object key, int hash) {
        if (longKeys != null) {
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
        int i = home(hash);
        while (true) {
            if (entries[2 * i] == null) {
                return -1 - i;
            }
            if (longKeys[i] == key) {
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
        return entries[2 * slot];
    }

    /** The value at {@code slot}, for reading only: nothing in it may be changed or handed to code that may. */
    Object valueAt(int slot) {
        return entries[2 * slot + 1];
    }

    /**
     * The value at {@code slot}, safe to change in place: if a pending snapshot shares it, it is first replaced by
     * {@code copier}'s deep copy (which then belongs to the table alone).
     */
    Object unsharedValueAt(int slot, UnaryOperator<Object> copier) {
        if (meta[2 * slot + 1] < sharedBelow) {
            entries[2 * slot + 1] = copier.apply(entries[2 * slot + 1]);
            meta[2 * slot + 1] = epoch;
        }
        return entries[2 * slot + 1];
    }

    /** Replaces the value at {@code slot} by one the table owns: new, or got through {@link #unsharedValueAt}. */
    void setValueAt(int slot, Object value) {
        entries[2 * slot + 1] = value;
        meta[2 * slot + 1] = epoch;
    }

    /**
     * Replaces the value at {@code slot} by one holding the same objects (a time-to-live value renewed): the entry
     * stays shared if it was, so a later change still copies it first.
     */
    void rewrapAt(int slot, Object value) {
        entries[2 * slot + 1] = value;
    }

    /** Inserts at the insertion slot {@link #find} returned (encoded as {@code -1 - slot}); returns the slot used. */
    int insert(int encodedSlot, Object key, int hash, Object value) {
        if ((size + 1) * 4 > (3 << bits)) {
            grow();
            encodedSlot = find(key, hash);
        }
        int slot = -1 - encodedSlot;
        entries[2 * slot] = key;
        entries[2 * slot + 1] = value;
        meta[2 * slot] = hash;
        meta[2 * slot + 1] = epoch;
        if (longKeys != null) {
            longKeys[slot] = longKey(key);
        }
        size++;
        version++;
        return slot;
    }

    void removeAt(int slot) {
        int mask = (1 << bits) - 1;
        int gap = slot;
        int i = (slot + 1) & mask;
        while (entries[2 * i] != null) {
            int home = home(meta[2 * i]);
            // Move entry i into the gap if the gap lies on its probe path (between its home and i, cyclically).
            if (((i - home) & mask) >= ((i - gap) & mask)) {
                moveSlot(i, gap);
                gap = i;
            }
            i = (i + 1) & mask;
        }
        entries[2 * gap] = null;
        entries[2 * gap + 1] = null;
        size--;
        version++;
    }

    private void moveSlot(int from, int to) {
        entries[2 * to] = entries[2 * from];
        entries[2 * to + 1] = entries[2 * from + 1];
        meta[2 * to] = meta[2 * from];
        meta[2 * to + 1] = meta[2 * from + 1];
        if (longKeys != null) {
            longKeys[to] = longKeys[from];
        }
    }

    private void grow() {
        Object[] oldEntries = entries;
        int[] oldMeta = meta;
        long[] oldLongKeys = longKeys;
        bits++;
        entries = new Object[2 << bits];
        meta = new int[2 << bits];
        longKeys = oldLongKeys == null ? null : new long[1 << bits];
        for (int i = 0; i < oldEntries.length; i += 2) {
            if (oldEntries[i] != null) {
                int slot = -1 - find(oldEntries[i], oldMeta[i]);
                entries[2 * slot] = oldEntries[i];
                entries[2 * slot + 1] = oldEntries[i + 1];
                meta[2 * slot] = oldMeta[i];
                meta[2 * slot + 1] = oldMeta[i + 1];
                if (longKeys != null) {
                    longKeys[slot] = oldLongKeys[i / 2];
                }
            }
        }
        version++;
    }

    /**
     * Copies the entries as they are now and starts a new epoch: the synchronous part of a snapshot. The values are
     * shared until the snapshot is {@linkplain #release released}.
     */
    Snapshot snapshot() {
        Snapshot s = new Snapshot(Arrays.copyOf(entries, entries.length), size, epoch);
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
