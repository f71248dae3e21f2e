package io.sluice.runtime.plan;

import io.sluice.runtime.checkpoint.TaskKey;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.checkpoint.restore.SubtaskRestore;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one task of one attempt needs, decided by the plan: deployment builds the task from this and the job
 * graph, and decides nothing itself. Plain data (ids, ranges, channel ids; no live objects), so a coordinator can
 * compute it and send it to the worker that runs the task.
 *
 * @param key         the task's chain, subtask and attempt (also its key in checkpoints)
 * @param name        the chain's name, for threads and messages
 * @param parallelism the chain's parallelism
 * @param nodeIds     the chain's operators (graph node ids), head first, every member after its input
 * @param keyGroups   the key groups this subtask owns (its keyed operators' state)
 * @param inputs      the channels the head reads, in the order the task reads them; empty for a source task
 * @param outputs     the channels each member writes to, per outgoing channel edge
 * @param sourceUid   the uid of the task's source, or {@code null} if it reads channels
 * @param checkpoints how the task takes part in checkpoints
 * @param restore     by operator uid, what each operator of the chain restores (its key-group snapshots, operator
 *                    state share, source splits); an operator not here starts without state
 * @param restoreLocation where the checkpoint restored from is stored (the files its keyed state names are read from
 *                    there), or {@code null}
 */
public record TaskSpec(TaskKey key, String name, int parallelism, List<Integer> nodeIds, KeyGroupRange keyGroups,
        List<InputChannel> inputs, List<OutputChannels> outputs, String sourceUid, CheckpointSettings checkpoints,
        Map<String, SubtaskRestore> restore, String restoreLocation) {

    public TaskSpec {
        nodeIds = List.copyOf(nodeIds);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        restore = Map.copyOf(restore);
    }

    /** What operator {@code uid} of this task restores, or empty if it starts without state. */
    public Optional<SubtaskRestore> restoreOf(String uid) {
        return Optional.ofNullable(restore.get(uid));
    }

    public int subtask() {
        return key.subtask();
    }

    public int headNodeId() {
        return nodeIds.getFirst();
    }

    /**
     * The channels a member writes on one outgoing channel edge: one per consumer subtask, in consumer order.
     *
     * @param edge     index of the edge in the plan's channel edges
     * @param channels the channels, {@code channels.get(q)} to consumer subtask {@code q}
     */
    public record OutputChannels(int edge, List<ChannelId> channels) {
        public OutputChannels {
            channels = List.copyOf(channels);
        }
    }

    /**
     * @param enabled     whether the job checkpoints (tasks always take part in savepoints)
     * @param exactlyOnce whether channel input aligns barriers
     */
    public record CheckpointSettings(boolean enabled, boolean exactlyOnce) {}
}
