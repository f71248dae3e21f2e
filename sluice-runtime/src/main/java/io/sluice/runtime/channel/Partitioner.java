package io.sluice.runtime.channel;

import io.sluice.api.functions.KeySelector;
import io.sluice.api.graph.Partitioning;
import io.sluice.runtime.state.KeyGroups;

/** Chooses the target channel of a record. One instance per producer subtask and edge; task thread only. */
public abstract sealed class Partitioner {

    /** Index of the target channel, in {@code [0, targets)}; {@code -1} means every channel. */
    abstract int select(Object record) throws Exception;

    static Partitioner of(Partitioning partitioning, int producerSubtask, int targets, int maxParallelism) {
        return switch (partitioning) {
            // forward: subtask i to subtask i (equal parallelism is checked when the graph is built)
            case Partitioning.Forward f -> new Single(producerSubtask);
            case Partitioning.Rebalance r -> targets == 1 ? new Single(0) : new RoundRobin(producerSubtask, targets);
            case Partitioning.Shuffle s -> targets == 1 ? new Single(0) : new Random(producerSubtask, targets);
            case Partitioning.Broadcast b -> targets == 1 ? new Single(0) : new All();
            case Partitioning.Hash h -> targets == 1 ? new Single(0) : new ByKey(h.keySelector(), targets, maxParallelism);
            case Partitioning.Auto a -> throw new IllegalArgumentException("unresolved partitioning");
        };
    }

    /** Always the same channel. */
    static final class Single extends Partitioner {
        private final int target;

        Single(int target) {
            this.target = target;
        }

        @Override
        int select(Object record) {
            return target;
        }
    }

    static final class All extends Partitioner {
        @Override
        int select(Object record) {
            return -1;
        }
    }

    static final class RoundRobin extends Partitioner {
        private final int targets;
        private int next;

        RoundRobin(int producerSubtask, int targets) {
            this.targets = targets;
            this.next = producerSubtask % targets; // producers start apart so small inputs still spread
        }

        @Override
        int select(Object record) {
            int t = next;
            next = t + 1 == targets ? 0 : t + 1;
            return t;
        }
    }

    /** xorshift, seeded per producer subtask: repeatable runs, no shared Random. */
    static final class Random extends Partitioner {
        private final int targets;
        private long state;

        Random(int producerSubtask, int targets) {
            this.targets = targets;
            this.state = 0x9E3779B97F4A7C15L * (producerSubtask + 1);
        }

        @Override
        int select(Object record) {
            long x = state;
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            state = x;
            return (int) Math.floorMod(x, (long) targets);
        }
    }

    static final class ByKey extends Partitioner {
        private final KeySelector<Object, ?> selector;
        private final int maxParallelism;
        /**
         * The target of each key group, worked out once, so a record costs a load from a small table instead of
         * {@link KeyGroups#subtaskOf}'s division of a {@code long} by a number the compiler cannot see. A {@code char}
         * each (targets are fewer than 2^16): 256 bytes for the default 128 key groups, 64 KiB at the most key groups
         * a job may have.
         */
        private final char[] targetOfKeyGroup;

        @SuppressWarnings("unchecked")
        ByKey(KeySelector<?, ?> selector, int targets, int maxParallelism) {
            this.selector = (KeySelector<Object, ?>) selector;
            this.maxParallelism = maxParallelism;
            this.targetOfKeyGroup = new char[maxParallelism];
            for (int keyGroup = 0; keyGroup < maxParallelism; keyGroup++) {
                targetOfKeyGroup[keyGroup] = (char) KeyGroups.subtaskOf(keyGroup, maxParallelism, targets);
            }
        }

        @Override
        int select(Object record) throws Exception {
            Object key = selector.getKey(record);
            if (key == null) {
                throw new NullPointerException("keyBy selector returned null for record " + record);
            }
            return targetOfKeyGroup[KeyGroups.keyGroupOf(key, maxParallelism)];
        }
    }
}
