package io.sluice.runtime.cluster;

import io.sluice.api.execution.ChannelMetrics;
import io.sluice.api.execution.OperatorMetrics;
import io.sluice.api.graph.JobGraph;
import io.sluice.api.graph.OperatorSpec;
import io.sluice.api.graph.StreamNode;
import io.sluice.runtime.channel.Channel;
import io.sluice.runtime.monitor.SplitWatermark;
import io.sluice.runtime.monitor.SubtaskCounters;
import io.sluice.runtime.operator.OperatorCounters;
import io.sluice.runtime.operator.TaskTimes;
import io.sluice.runtime.source.SourceOutputs;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;

/**
 * The counters of every operator subtask and the channels of every edge, summed on request; the per-subtask
 * counters, times and split watermarks monitoring reads. Set up before the tasks start; read from any thread.
 */
final class JobMetrics {
    private record EdgeChannels(String from, String to, Channel[][] channels) {}

    private final JobGraph graph;
    private final OperatorCounters[][] counters;
    private final List<EdgeChannels> edges = new ArrayList<>();
    /** For each node, the head of the chain it runs in. */
    private final int[] headOf;
    private final Map<List<Integer>, SourceOutputs> sources = new java.util.concurrent.ConcurrentSkipListMap<>(
            java.util.Comparator.<List<Integer>>comparingInt(k -> k.get(0)).thenComparingInt(k -> k.get(1)));

    JobMetrics(JobGraph graph) {
        this.graph = graph;
        this.counters = new OperatorCounters[graph.nodes().size()][];
        this.headOf = new int[graph.nodes().size()];
        java.util.Arrays.setAll(headOf, i -> i);
        for (StreamNode node : graph.nodes()) {
            OperatorCounters[] c = new OperatorCounters[node.parallelism()];
            for (int s = 0; s < c.length; s++) {
                c[s] = new OperatorCounters();
            }
            counters[node.id()] = c;
        }
    }

    OperatorCounters counters(int nodeId, int subtask) {
        return counters[nodeId][subtask];
    }

    /**
     * The operators {@code nodeIds} (a chain, head first) run in one task of subtask {@code subtask} with these
     * times; a chained operator's input watermark is its head's. Before the task starts.
     */
    void chain(List<Integer> nodeIds, int subtask, TaskTimes times) {
        for (int nodeId : nodeIds) {
            counters[nodeId][subtask].times = times;
            headOf[nodeId] = nodeIds.getFirst();
        }
    }

    /** The per-split outputs of source {@code nodeId}'s reader {@code subtask}. Before the task starts. */
    void sourceOutputs(int nodeId, int subtask, SourceOutputs outputs) {
        sources.put(List.of(nodeId, subtask), outputs);
    }

    /** Each subtask's counters of {@code nodeId}; empty for an unknown node. Any thread. */
    List<SubtaskCounters> subtasks(int nodeId) {
        if (nodeId < 0 || nodeId >= counters.length || counters[nodeId] == null) {
            return List.of();
        }
        long now = System.nanoTime();
        List<SubtaskCounters> result = new ArrayList<>();
        OperatorCounters[] row = counters[nodeId];
        boolean source = graph.node(nodeId).spec() instanceof OperatorSpec.SourceSpec;
        for (int s = 0; s < row.length; s++) {
            OperatorCounters c = row[s];
            TaskTimes t = c.times;
            long started = t.startNanos;
            long watermark = inputWatermark(nodeId, s, c);
            result.add(new SubtaskCounters(s, source ? c.recordsOut : c.recordsIn, c.recordsOut, t.idleNanos,
                    t.backpressuredNanos, started == 0 ? 0 : now - started, source ? Long.MIN_VALUE : watermark,
                    c.stateSizeBytes));
        }
        return result;
    }

    /**
     * The watermark at {@code nodeId}'s input in subtask {@code s}: a chain head's own; an operator chained behind
     * another sees its chain's input watermark, and one chained behind a source what the source's reader last
     * emitted (the least over its active splits).
     */
    private long inputWatermark(int nodeId, int s, OperatorCounters own) {
        int head = headOf[nodeId];
        if (head == nodeId) {
            return own.inputWatermark;
        }
        if (graph.node(head).spec() instanceof OperatorSpec.SourceSpec) {
            SourceOutputs outputs = sources.get(List.of(head, s));
            return outputs == null ? Long.MIN_VALUE : outputs.emittedWatermark();
        }
        return counters[head][s].inputWatermark;
    }

    /** Every source reader's splits and their watermarks. Any thread. */
    List<SplitWatermark> splits() {
        List<SplitWatermark> result = new ArrayList<>();
        sources.forEach((key, outputs) -> {
            for (SourceOutputs.SplitState s : outputs.splitStates()) {
                result.add(new SplitWatermark(key.get(0), key.get(1), s.split(), s.watermark(), s.idle()));
            }
        });
        return result;
    }

    void addChannels(String from, String to, Channel[][] channels) {
        edges.add(new EdgeChannels(from, to, channels));
    }

    List<OperatorMetrics> operators() {
        List<OperatorMetrics> result = new ArrayList<>();
        for (StreamNode node : graph.nodes()) {
            long in = 0;
            long out = 0;
            for (OperatorCounters c : counters[node.id()]) {
                in += c.recordsIn;
                out += c.recordsOut;
            }
            if (node.spec() instanceof OperatorSpec.SourceSpec) {
                in = out; // a source's input is what it read, which is what it emitted
            }
            result.add(new OperatorMetrics(node.id(), node.name(), in, out));
        }
        return result;
    }

    List<ChannelMetrics> channels() {
        List<ChannelMetrics> result = new ArrayList<>();
        for (EdgeChannels e : edges) {
            int count = 0;
            int capacity = 0;
            int max = 0;
            for (Channel[] row : e.channels) {
                for (Channel c : row) {
                    if (c == null) {
                        continue; // both ends in other processes
                    }
                    count++;
                    capacity = c.capacity();
                    max = Math.max(max, c.maxOccupancy());
                }
            }
            result.add(new ChannelMetrics(e.from, e.to, count, capacity, max));
        }
        return result;
    }
}
