package io.sluice.runtime.state.heap;

import java.util.Arrays;

/**
 * The epochs of one {@link StateTable}'s snapshots that were taken and not yet released, in ascending order (a table
 * takes them in that order; they may be released in any). Usually one or two. Not thread-safe: the owning table
 * guards it; it is used per snapshot, never per record.
 */
final class PendingEpochs {
    private int[] epochs = new int[2];
    private int count;

    /** Adds an epoch newer than every pending one. */
    void add(int epoch) {
        if (count > 0 && epochs[count - 1] >= epoch) {
            throw new IllegalArgumentException("epoch " + epoch + " is not newer than " + epochs[count - 1]);
        }
        if (count == epochs.length) {
            epochs = Arrays.copyOf(epochs, count * 2);
        }
        epochs[count++] = epoch;
    }

    /** Removes {@code epoch}; {@code false} if it was not pending. */
    boolean remove(int epoch) {
        for (int i = 0; i < count; i++) {
            if (epochs[i] == epoch) {
                System.arraycopy(epochs, i + 1, epochs, i, count - i - 1);
                count--;
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** The newest pending epoch; only when not {@link #isEmpty}. */
    int newest() {
        return epochs[count - 1];
    }
}
