package io.sluice.runtime.state.operator;

import java.util.List;
import java.util.Map;

/**
 * The operator state of one subtask as bytes: per state name, its kind and serialized elements (list and union
 * state) or entries (broadcast state, each entry one element: key then value). Immutable.
 *
 * @param states name → state
 */
public record OperatorStateSnapshot(Map<String, Entry> states) {

    /** How a state is redistributed when restored at another parallelism. */
    public enum Mode {
        /** Elements of all old subtasks dealt round-robin to the new ones (kept per subtask if the parallelism is unchanged). */
        SPLIT,
        /** Every new subtask gets every element of every old subtask. */
        UNION,
        /** Every new subtask gets one old subtask's copy (they are all equal). */
        BROADCAST
    }

    /** One state: its mode and elements, each serialized on its own. */
    public record Entry(Mode mode, List<byte[]> elements) {
        public Entry {
            elements = List.copyOf(elements);
        }
    }

    public OperatorStateSnapshot {
        states = Map.copyOf(states);
    }
}
