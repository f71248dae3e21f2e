package io.sluice.runtime.state;

import java.util.Arrays;

/**
 * An open-addressing hash map from keys to state values for one key group: linear probing over parallel arrays,
 * the key's hash stored beside it so mismatches rarely touch the key object, backward-shift deletion (no
 * tombstones). Why not {@link java.util.HashMap}: a state access is "find the slot once, then read and maybe write
 * it"; exposing slots lets a value state read and update with one probe instead of two, and there is no node
 * object per entry. Task thread only.
 *
 * <p>The hash passed in is the key's mixed hash (see {@link KeyGroups}); since keys of one key group share its low
 * bits, slots are chosen from the high bits (Fibonacci hashing).
 */
final class StateTable {
    private static final int MIN_BITS = 3;

    private int bits = MIN_BITS;
    private int[] hashes = new int[1 << MIN_BITS];
    private Object[] keys = new Object[1 << MIN_BITS];
    private Object[] values = new Object[1 << MIN_BITS];
    private int size;
    /** Changes whenever slots move (insert with resize, remove); cached slots are valid only for one version. */
    private int version;

    int size() {
        return size;
    }

    int version() {
        return version;
    }

    private int home(int hash) {
        return (hash * 0x9E3779B9) >>> (32 - bits);
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

    Object valueAt(int slot) {
        return values[slot];
    }

    void setValueAt(int slot, Object value) {
        values[slot] = value;
    }

    /** Inserts at the insertion slot returned by {@link #find} (encoded as {@code -1 - slot}). */
    void insert(int encodedSlot, Object key, int hash, Object value) {
        if ((size + 1) * 4 > keys.length * 3) {
            grow();
            encodedSlot = find(key, hash);
        }
        int slot = -1 - encodedSlot;
        keys[slot] = key;
        hashes[slot] = hash;
        values[slot] = value;
        size++;
        version++;
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
        bits++;
        keys = new Object[1 << bits];
        values = new Object[1 << bits];
        hashes = new int[1 << bits];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                int slot = -1 - find(oldKeys[i], oldHashes[i]);
                keys[slot] = oldKeys[i];
                hashes[slot] = oldHashes[i];
                values[slot] = oldValues[i];
            }
        }
        version++;
    }

    /** Calls {@code visitor} for every entry (snapshots, tests). */
    void forEach(java.util.function.BiConsumer<Object, Object> visitor) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                visitor.accept(keys[i], values[i]);
            }
        }
    }

    void clear() {
        Arrays.fill(keys, null);
        Arrays.fill(values, null);
        size = 0;
        version++;
    }
}
