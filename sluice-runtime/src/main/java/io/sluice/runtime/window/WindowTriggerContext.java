package io.sluice.runtime.window;

import io.sluice.api.state.State;
import io.sluice.api.state.StateDescriptor;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.windowing.Trigger;
import io.sluice.api.windowing.Window;
import io.sluice.runtime.state.InternalKeyedState;
import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.operator.InternalTimerService;
import java.util.Collection;
import java.util.List;

/**
 * The context a trigger gets: timers and state of the backend's current key and of the window set with
 * {@link #setWindow}; during a merge also the merged windows. One per operator, reused for every call. Task thread
 * only.
 */
final class WindowTriggerContext<W extends Window> implements Trigger.OnMergeContext {
    private final InternalTimerService timers;
    private final KeyedStateBackend backend;
    private final TypeSerializer<W> windowSerializer;
    private W window;
    private Collection<W> mergedWindows = List.of();

    WindowTriggerContext(InternalTimerService timers, KeyedStateBackend backend, TypeSerializer<W> windowSerializer) {
        this.timers = timers;
        this.backend = backend;
        this.windowSerializer = windowSerializer;
    }

    void setWindow(W window) {
        this.window = window;
    }

    /** The windows merged into the current one, for {@link #mergePartitionedState}; empty outside merges. */
    void setMergedWindows(Collection<W> merged) {
        this.mergedWindows = merged;
    }

    @Override
    public long currentProcessingTime() {
        return timers.currentProcessingTime();
    }

    @Override
    public long currentWatermark() {
        return timers.currentWatermark();
    }

    @Override
    public void registerEventTimeTimer(long time) {
        timers.registerEventTimeTimer(window, time);
    }

    @Override
    public void deleteEventTimeTimer(long time) {
        timers.deleteEventTimeTimer(window, time);
    }

    @Override
    public void registerProcessingTimeTimer(long time) {
        timers.registerProcessingTimeTimer(window, time);
    }

    @Override
    public void deleteProcessingTimeTimer(long time) {
        timers.deleteProcessingTimeTimer(window, time);
    }

    @Override
    public <S extends State> S getPartitionedState(StateDescriptor<S> descriptor) {
        S state = backend.getNamespacedState(descriptor, windowSerializer);
        ((InternalKeyedState) state).setCurrentNamespace(window);
        return state;
    }

    @Override
    public void mergePartitionedState(StateDescriptor<?> descriptor) {
        if (mergedWindows.isEmpty()) {
            return;
        }
        InternalKeyedState state = (InternalKeyedState) backend.getNamespacedState(descriptor, windowSerializer);
        try {
            state.mergeNamespaces(window, mergedWindows);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot merge the trigger state '" + descriptor.name() + "': " + e, e);
        }
    }
}
