package io.sluice.runtime.checkpoint.restore;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a restore needs to know of the new job: its operators and its number of key groups. Plain data, so whoever
 * plans a run (a coordinator process later) can build it from the plan alone.
 *
 * @param maxParallelism the job's number of key groups (the same as when the checkpoint was taken)
 * @param operators      every operator of the new job, each uid once
 */
public record JobShape(int maxParallelism, List<OperatorShape> operators) {
    public JobShape {
        if (maxParallelism < 1) {
            throw new IllegalArgumentException("maxParallelism must be at least 1, was " + maxParallelism);
        }
        operators = List.copyOf(operators);
        Set<String> uids = new HashSet<>();
        for (OperatorShape op : operators) {
            if (!uids.add(op.uid())) {
                throw new IllegalArgumentException("two operators have uid " + op.uid());
            }
        }
    }
}
