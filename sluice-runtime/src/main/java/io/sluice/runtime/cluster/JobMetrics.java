package io.sluice.runtime.cluster;

import io.sluice.api.execution.ChannelMetrics;
import io.sluice.api.execution.OperatorMetrics;
import io.sluice.api.graph.JobGraph;
import io.sluice.api.graph.OperatorSpec;
import io.sluice.api.graph.StreamNode;
import io.sluice.runtime.channel.Channel;
import io.sluice.runtime.operator.OperatorCounters;
import java.util.ArrayList;
import java.util.List;

/** The counters of every operator subtask and the channels of every edge, summed on request. */
final class JobMetrics {
    private record EdgeChannels(String from, String to, Channel[][] channels) {}

    private final JobGraph graph;
    private final OperatorCounters[][] counters;
    private final List<EdgeChannels> edges = new ArrayList<>();

    JobMetrics(JobGraph graph) {
        this.graph = graph;
        this.counters = new OperatorCounters[graph.nodes().size()][];
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
