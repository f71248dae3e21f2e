package io.sluice.runtime.checkpoint;

import io.sluice.runtime.checkpoint.storage.CheckpointWriter;
import io.sluice.runtime.checkpoint.storage.StateFileHandle;
import java.util.List;
import java.util.function.Consumer;

/**
 * The coordinator-side part of a run's checkpoints: the source enumerators. A checkpoint first writes their state,
 * then triggers the source tasks, both on the thread that orders split assignments to the readers, so each split is
 * either in the enumerator's state or reaches its reader before the reader's trigger.
 */
public interface CoordinatorCheckpointing {

    /** A run without coordinator-side state: the sources are triggered at once, on the calling thread. */
    CoordinatorCheckpointing NONE = (checkpointId, writer, triggerSources, onFailure) -> triggerSources.accept(List.of());

    /**
     * Writes the coordinator-side state of {@code checkpointId} into {@code writer}, then calls
     * {@code triggerSources} with the files written, on the same thread; or {@code onFailure} if the state could not
     * be written. Never blocks the caller.
     */
    void checkpoint(long checkpointId, CheckpointWriter writer, Consumer<List<StateFileHandle>> triggerSources,
            Consumer<Exception> onFailure);
}
