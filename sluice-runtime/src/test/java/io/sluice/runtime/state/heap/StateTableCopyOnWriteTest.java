package io.sluice.runtime.state.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link StateTable}'s copy-on-write: an entry is copied once while a pending snapshot shares it, then belongs to the
 * table; with no snapshot pending (none taken, or all released) nothing is copied.
 */
class StateTableCopyOnWriteTest {
    private int copies;
    private final UnaryOperator<Object> copier = v -> {
        copies++;
        return new ArrayList<>((List<?>) v);
    };

    private final StateTable table = new StateTable();

    /** Inserts key {@code k} with a fresh list value; returns the value. */
    private List<Long> put(int k) {
        List<Long> v = new ArrayList<>(List.of((long) k));
        table.insert(table.find(k, hash(k)), k, hash(k), v);
        return v;
    }

    private Object unshared(int k) {
        return table.unsharedValueAt(table.find(k, hash(k)), copier);
    }

    private static int hash(int k) {
        return k * 0x9E3779B9;
    }

    @Test
    void withoutASnapshotNothingIsCopied() {
        List<Long> v = put(1);
        for (int i = 0; i < 3; i++) {
            assertSame(v, unshared(1));
        }
        assertEquals(0, copies);
    }

    @Test
    void anEntryAPendingSnapshotSharesIsCopiedOnceAndTheSnapshotKeepsTheOriginal() {
        List<Long> v = put(1);
        StateTable.Snapshot s = table.snapshot();
        Object copy = unshared(1);
        assertNotSame(v, copy);
        assertSame(copy, unshared(1), "copied once, then the table's own");
        assertEquals(1, copies);
        assertSame(v, s.valueAt(table.find(1, hash(1))), "the snapshot holds the original");
    }

    @Test
    void entriesPutAfterASnapshotAreNotShared() {
        put(1);
        table.snapshot();
        List<Long> fresh = put(2);
        assertSame(fresh, unshared(2));
        int slot = table.find(1, hash(1));
        List<Long> replaced = new ArrayList<>();
        table.setValueAt(slot, replaced);
        assertSame(replaced, unshared(1), "a value set after the snapshot is the table's own");
        assertEquals(0, copies);
    }

    @Test
    void afterTheReleaseNothingIsCopied() {
        List<Long> v = put(1);
        StateTable.Snapshot s = table.snapshot();
        table.release(s);
        assertSame(v, unshared(1));
        table.release(s); // twice: nothing changes
        assertSame(v, unshared(1));
        assertEquals(0, copies);
    }

    @Test
    void overlappingSnapshotsShareUntilTheNewestIsReleased() {
        put(1);
        put(2);
        StateTable.Snapshot older = table.snapshot();
        put(3);
        StateTable.Snapshot newer = table.snapshot();
        table.release(older);
        unshared(1);
        unshared(3);
        assertEquals(2, copies, "the newer snapshot still shares entries older than it");
        table.release(newer);
        unshared(2);
        assertEquals(2, copies, "nothing pending: no copies");
        StateTable.Snapshot third = table.snapshot();
        StateTable.Snapshot fourth = table.snapshot();
        table.release(fourth); // out of order: the third still shares everything
        unshared(2);
        assertEquals(3, copies);
        table.release(third);
    }

    @Test
    void aRewrappedEntryStaysShared() {
        List<Long> v = put(1);
        table.snapshot();
        table.rewrapAt(table.find(1, hash(1)), v);
        assertNotSame(v, unshared(1));
        assertEquals(1, copies);
    }

    @Test
    void entriesMovedByGrowthAndRemovalsKeepWhetherTheyAreShared() {
        for (int k = 0; k < 20; k++) {
            put(k);
        }
        table.snapshot();
        for (int k = 20; k < 200; k++) {
            put(k); // grows the table several times
        }
        for (int k = 0; k < 200; k += 3) {
            table.removeAt(table.find(k, hash(k))); // backward shifts move entries
        }
        for (int k = 0; k < 200; k++) {
            if (k % 3 != 0) {
                unshared(k);
            }
        }
        assertEquals(13, copies, "exactly the 13 remaining entries older than the snapshot are copied");
    }
}
