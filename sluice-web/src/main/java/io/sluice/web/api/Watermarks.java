package io.sluice.web.api;

import io.sluice.runtime.monitor.JobView;
import io.sluice.runtime.monitor.SplitWatermark;
import io.sluice.runtime.monitor.SubtaskCounters;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Watermark lineage: per source split its watermark, and per operator its input watermark (the least over its
 * subtasks) and the split that holds it back: of the active (not idle) splits of the sources upstream of the
 * operator, the one with the least watermark, since an operator's input watermark is the minimum over its inputs,
 * down to the source splits. Stateless, thread-safe.
 */
final class Watermarks {
    private Watermarks() {}

    static Map<String, Object> of(JobView job) {
        List<JobView.Vertex> vertices = job.vertices();
        List<SplitWatermark> splits = job.splits();
        Map<Integer, String> names = new LinkedHashMap<>();
        vertices.forEach(v -> names.put(v.id(), v.name()));
        List<Map<String, Object>> splitRows = new ArrayList<>();
        for (SplitWatermark s : splits) {
            splitRows.add(split(s, names));
        }
        List<Map<String, Object>> operators = new ArrayList<>();
        Map<Integer, List<Integer>> incoming = new HashMap<>();
        for (JobView.Edge e : job.edges()) {
            incoming.computeIfAbsent(e.target(), k -> new ArrayList<>()).add(e.source());
        }
        Set<Integer> sources = new HashSet<>();
        vertices.stream().filter(v -> v.kind().equals("source")).forEach(v -> sources.add(v.id()));
        for (JobView.Vertex v : vertices) {
            if (v.kind().equals("source")) {
                continue;
            }
            long input = Long.MAX_VALUE;
            for (SubtaskCounters c : job.subtasks(v.id())) {
                input = Math.min(input, c.inputWatermark());
            }
            Set<Integer> upstream = upstreamSources(v.id(), incoming, sources);
            SplitWatermark holder = null;
            for (SplitWatermark s : splits) {
                if (!s.idle() && upstream.contains(s.vertexId()) && (holder == null || s.watermark() < holder.watermark())) {
                    holder = s;
                }
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("vertex", v.id());
            row.put("name", v.name());
            row.put("inputWatermark", input == Long.MAX_VALUE ? null : watermark(input));
            row.put("heldBackBy", holder == null ? null : split(holder, names));
            operators.add(row);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("splits", splitRows);
        result.put("operators", operators);
        return result;
    }

    private static Map<String, Object> split(SplitWatermark s, Map<Integer, String> names) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("vertex", s.vertexId());
        row.put("source", names.getOrDefault(s.vertexId(), ""));
        row.put("subtask", s.subtask());
        row.put("split", s.split());
        row.put("watermark", watermark(s.watermark()));
        row.put("idle", s.idle());
        return row;
    }

    /** A watermark for JSON: {@code null} before the first one. */
    static Long watermark(long w) {
        return w == Long.MIN_VALUE ? null : w;
    }

    /** The sources among the vertices upstream of {@code vertex}: a walk over the incoming edges, each vertex once. */
    private static Set<Integer> upstreamSources(int vertex, Map<Integer, List<Integer>> incoming, Set<Integer> sources) {
        Set<Integer> seen = new HashSet<>();
        Deque<Integer> todo = new ArrayDeque<>(List.of(vertex));
        Set<Integer> found = new HashSet<>();
        while (!todo.isEmpty()) {
            for (int from : incoming.getOrDefault(todo.pop(), List.of())) {
                if (seen.add(from)) {
                    todo.push(from);
                    if (sources.contains(from)) {
                        found.add(from);
                    }
                }
            }
        }
        return found;
    }
}
