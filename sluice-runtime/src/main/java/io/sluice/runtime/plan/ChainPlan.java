package io.sluice.runtime.plan;

import java.util.List;

/**
 * Operators that run together in one task per subtask, calling each other directly. A chain is a tree: its head
 * takes the task's input, every other member has exactly one input, from another member, over a forward edge.
 *
 * @param id          index in the plan
 * @param name        the members' names joined by {@code " -> "}, used for the task threads
 * @param parallelism shared by all members
 * @param nodeIds     member nodes in ascending id order (so every member comes after its input); the first is the head
 */
public record ChainPlan(int id, String name, int parallelism, List<Integer> nodeIds) {
    public int headNodeId() {
        return nodeIds.getFirst();
    }
}
