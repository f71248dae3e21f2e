package io.sluice.runtime.state.heap;

import io.sluice.runtime.hashing.OpenAddressing;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * An open-addressing hash map from state keys to state values for one state and one key group: linear probing over
 * parallel arrays, each key's hash stored beside it so mismatches rarely touch the key object, backward-shift
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
    private int[] hashes = new int[1 << MIN_BITS];
    private Object[] keys = new Object[1 << MIN_BITS];
    private Object[] values = new Object[1 << MIN_BITS];
    /** The epoch in which each value was put or last copied; below {@link #sharedBelow} means shared. */
    private int[] epochs = new int[1 << MIN_BITS];
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
    record Snapshot(Object[] keys, Object[] values, int size, int epoch) {}

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
        int mask = keys.length - 1;
        int i = home(hash);
        while (true) {
            Object k = keys[i];
            if (k == null) {
                return -1 - i;
            }
            if (hashes[i] == hash && (k == key || k.equals(key))) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    Object keyAt(int slot) {
        return keys[slot];
    }

    /** The value at {@code slot}, for reading only: nothing in it may be changed or handed to code that may. */
    Object valueAt(int slot) {
        return values[slot];
    }

    /**
     * The value at {@code slot}, safe to change in place: if a pending snapshot shares it, it is first replaced by
     * {@code copier}'s deep copy (which then belongs to the table alone).
     */
    Object unsharedValueAt(int slot, UnaryOperator<Object> copier) {
        if (epochs[slot] < sharedBelow) {
            values[slot] = copier.apply(values[slot]);
            epochs[slot] = epoch;
        }
        return values[slot];
    }

    /** Replaces the value at {@code slot} by one the table owns: new, or got through {@link #unsharedValueAt}. */
    void setValueAt(int slot, Object value) {
        values[slot] = value;
        epochs[slot] = epoch;
    }

    /**
     * Replaces the value at {@code slot} by one holding the same objects (a time-to-live value renewed): the entry
     * stays shared if it was, so a later change still copies it first.
     */
    void rewrapAt(int slot, Object value) {
        values[slot] = value;
    }

    /** Inserts at the insertion slot {@link #find} returned (encoded as {@code -1 - slot}); returns the slot used. */
    int insert(int encodedSlot, Object key, int hash, Object value) {
        if ((size + 1) * 4 > keys.length * 3) {
            grow();
            encodedSlot = find(key, hash);
        }
        int slot = -1 - encodedSlot;
        keys[slot] = key;
        hashes[slot] = hash;
        values[slot] = value;
        epochs[slot] = epoch;
        size++;
        version++;
        return slot;
    }

    void removeAt(int slot) {
        int mask = keys.length - 1;
        int gap = slot;
        int i = (slot + 1) & mask;
        while (keys[i] != null) {
            int home = home(hashes[i]);
            // Move entry i into the gap if the gap lies on its probe path (between its home and i, cyclically).
            if (((i - home) & mask) >= ((i - gap) & mask)) {
                keys[gap] = keys[i];
                hashes[gap] = hashes[i];
                values[gap] = values[i];
                epochs[gap] = epochs[i];
                gap = i;
            }
            i = (i + 1) & mask;
        }
        keys[gap] = null;
        values[gap] = null;
        size--;
        version++;
    }

    private void grow() {
        Object[] oldKeys = keys;
        Object[] oldValues = values;
        int[] oldHashes = hashes;
        int[] oldEpochs = epochs;
        bits++;
        keys = new Object[1 << bits];
        values = new Object[1 << bits];
        hashes = new int[1 << bits];
        epochs = new int[1 << bits];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                int slot = -1 - find(oldKeys[i], oldHashes[i]);
                keys[slot] = oldKeys[i];
                hashes[slot] = oldHashes[i];
                values[slot] = oldValues[i];
                epochs[slot] = oldEpochs[i];
            }
        }
        version++;
    }

    /**
     * Copies the entries as they are now and starts a new epoch: the synchronous part of a snapshot. The values are
     * shared until the snapshot is {@linkplain #release released}.
     */
    Snapshot snapshot() {
        Snapshot s = new Snapshot(Arrays.copyOf(keys, keys.length), Arrays.copyOf(values, values.length), size, epoch);
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
