package io.sluice.runtime.checkpoint.restore;

import io.sluice.runtime.state.KeyedStateSnapshot;
import java.util.Objects;

/**
 * The keyed state one old subtask wrote, handed to a new subtask whose key groups overlap the old subtask's. The new
 * subtask's backend takes from it only the key groups it owns.
 *
 * @param subtask     the old subtask that wrote it, 0-based
 * @param parallelism the operator's parallelism when it was written
 * @param snapshot    the state (key-group blocks or a backend's files)
 */
public record RestoredKeyedState(int subtask, int parallelism, KeyedStateSnapshot snapshot) {
    public RestoredKeyedState {
        Objects.requireNonNull(snapshot, "snapshot");
    }
}
