package io.sluice.cluster.coordinator;

import io.sluice.cluster.protocol.ControlMessages.WorkerStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which slots of which workers jobs use: a whole attempt takes a number of one worker's slots, a spread attempt
 * reserves slots on several workers (the most free first) and is remembered by job, so that its slots can be given back
 * as one. A worker that is lost is forgotten with its slots. Thread-safe; calls nothing outside itself.
 */
final class SlotTable {
    private final Map<String, Integer> used = new HashMap<>();
    /** Per spread job, the worker of each slot its current attempt reserved. */
    private final Map<String, List<String>> reserved = new HashMap<>();

    /** How many of a worker's slots jobs use. */
    synchronized int used(String worker) {
        return used.getOrDefault(worker, 0);
    }

    /** The free slots of {@code worker}. */
    synchronized int free(WorkerStatus worker) {
        return worker.slots() - used(worker.workerId());
    }

    /** A whole attempt takes {@code count} of {@code worker}'s slots. */
    synchronized void take(String worker, int count) {
        used.merge(worker, count, Integer::sum);
    }

    /** A whole attempt gives {@code count} of {@code worker}'s slots back. */
    synchronized void give(String worker, int count) {
        used.computeIfPresent(worker, (w, n) -> n - count > 0 ? n - count : null);
    }

    /**
     * Reserves {@code count} slots for {@code job} among {@code workers} (the most free first); the worker of each slot
     * in slot order, or {@code null} (nothing reserved) if they have fewer free slots.
     */
    synchronized List<String> reserve(String job, int count, List<WorkerStatus> workers) {
        Map<String, Integer> free = new LinkedHashMap<>();
        workers.forEach(w -> free.put(w.workerId(), free(w)));
        if (free.values().stream().mapToInt(Integer::intValue).sum() < count) {
            return null;
        }
        List<String> order = new ArrayList<>(free.keySet());
        order.sort((a, b) -> free.get(b) - free.get(a));
        List<String> chosen = new ArrayList<>();
        for (String w : order) {
            for (int i = 0; i < free.get(w) && chosen.size() < count; i++) {
                chosen.add(w);
            }
        }
        chosen.forEach(w -> take(w, 1));
        reserved.put(job, chosen);
        return chosen;
    }

    /** The free slots of {@code workers} together. */
    synchronized int free(List<WorkerStatus> workers) {
        return workers.stream().mapToInt(this::free).sum();
    }

    /** Gives back what {@code job}'s spread attempt reserved. */
    synchronized void release(String job) {
        List<String> slots = reserved.remove(job);
        if (slots != null) {
            slots.forEach(w -> give(w, 1));
        }
    }

    /** A lost worker's slots are gone with it. */
    synchronized void forget(String worker) {
        used.remove(worker);
    }
}
