package io.sluice.api.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Collects every record into memory, for tests and small local jobs on the embedded cluster. Each subtask
 * keeps its records in order and publishes them when its input ends; {@link #results()} then returns
 * subtask 0's records, then subtask 1's, and so on.
 *
 * <p>Results live in this JVM under a random id; call {@link #clear()} when done to release them.
 */
public final class CollectSink<T> implements Sink<T> {

    private static final Map<String, Map<Integer, List<Object>>> RESULTS = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();

    @Override
    public SinkWriter<T> createWriter(SinkContext context) {
        List<Object> records = new ArrayList<>();
        int subtask = context.subtaskIndex();
        return new SinkWriter<>() {
            @Override
            public void write(T record) {
                records.add(record);
            }

            @Override
            public void finish() {
                RESULTS.computeIfAbsent(id, k -> new ConcurrentHashMap<>()).put(subtask, records);
            }

            @Override
            public void close() {}
        };
    }

    /** The collected records of every finished subtask, in subtask order. */
    @SuppressWarnings("unchecked")
    public List<T> results() {
        Map<Integer, List<Object>> bySubtask = RESULTS.getOrDefault(id, Map.of());
        List<T> all = new ArrayList<>();
        bySubtask.keySet().stream().sorted().forEach(s -> all.addAll((List<T>) bySubtask.get(s)));
        return all;
    }

    /** Drops the collected records. */
    public void clear() {
        RESULTS.remove(id);
    }
}
