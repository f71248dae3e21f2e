package io.sluice.runtime.window;

import io.sluice.api.state.State;
import io.sluice.api.windowing.Window;
import io.sluice.runtime.state.InternalKeyedState;
import java.util.Collection;

/**
 * A window's contents in keyed state namespaced by window: one reduced value or accumulator per key and window for
 * incremental functions, the records for process functions and evictors. Calls apply to the backend's current key
 * and the window set with {@link #setWindow}. Task thread only.
 */
abstract class WindowContents<IN, W extends Window> {
    private final InternalKeyedState state;

    WindowContents(State state) {
        this.state = (InternalKeyedState) state;
    }

    /** Scopes the following calls to {@code stateWindow} (for merging windows: the window holding the state). */
    final void setWindow(W stateWindow) {
        state.setCurrentNamespace(stateWindow);
    }

    /**
     * Adds a record to the current window; {@code true} if the window had no contents for the current key before (or
     * the state cannot tell cheaply): the operator registers the window's timers then.
     */
    abstract boolean add(IN value, long timestamp) throws Exception;

    /** Evaluates the contents for {@code window} (the window being fired) into {@code results}; nothing if empty. */
    abstract void fire(W window, WindowResults results) throws Exception;

    final void clear() {
        ((State) state).clear();
    }

    /** Moves the contents of the {@code sources} state windows into {@code target} (merging windows). */
    final void merge(W target, Collection<W> sources) throws Exception {
        if (!sources.isEmpty()) {
            state.mergeNamespaces(target, sources);
        }
    }
}
