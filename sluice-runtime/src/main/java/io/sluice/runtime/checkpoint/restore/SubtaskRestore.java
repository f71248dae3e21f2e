package io.sluice.runtime.checkpoint.restore;

import io.sluice.api.source.SourceSplit;
import io.sluice.runtime.state.operator.OperatorStateSnapshot;
import java.util.List;
import java.util.Objects;

/**
 * Exactly what one new subtask of a restored operator loads.
 *
 * @param keyed    for a keyed operator, the keyed state of every old subtask whose key-group range overlaps this
 *                 subtask's, in old subtask order (old subtasks that wrote no keyed state left out); empty for other
 *                 operators
 * @param operator this subtask's operator state, already redistributed: split list state dealt, union state whole,
 *                 one copy of broadcast state. The operator state store loads it as it is
 * @param splits   for a source, the splits (with their positions) this subtask reads, in the order it adds them;
 *                 empty for other operators
 */
public record SubtaskRestore(List<RestoredKeyedState> keyed, OperatorStateSnapshot operator, List<SourceSplit> splits) {
    public SubtaskRestore {
        keyed = List.copyOf(keyed);
        Objects.requireNonNull(operator, "operator");
        splits = List.copyOf(splits);
    }
}
