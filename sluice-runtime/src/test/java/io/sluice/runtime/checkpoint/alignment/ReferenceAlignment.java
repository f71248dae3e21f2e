package io.sluice.runtime.checkpoint.alignment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The alignment rules restated as plainly as possible, with sets and maps and recomputation instead of counters, to
 * check {@link BarrierAligner} against. Shares no code with it. Also says which events are possible next (the
 * generators use it so they never feed the aligner an event a correct task would not).
 */
final class ReferenceAlignment {
    final boolean exactlyOnce;
    private final int maxPending;
    final int channelCount;
    final Set<Integer> open = new TreeSet<>();
    /** Pending checkpoints by id, each with the channels that delivered its barrier. */
    final TreeMap<Long, Set<Integer>> pending = new TreeMap<>();
    final Map<Integer, Long> lastBarrier = new HashMap<>();
    long latest;

    ReferenceAlignment(AlignmentMode mode, int channels, int maxPending) {
        this.exactlyOnce = mode == AlignmentMode.EXACTLY_ONCE;
        this.maxPending = exactlyOnce ? Integer.MAX_VALUE : maxPending;
        this.channelCount = channels;
        for (int c = 0; c < channels; c++) {
            open.add(c);
            lastBarrier.put(c, 0L);
        }
    }

    ReferenceAlignment copy() {
        ReferenceAlignment copy = new ReferenceAlignment(exactlyOnce ? AlignmentMode.EXACTLY_ONCE
                : AlignmentMode.AT_LEAST_ONCE, channelCount, maxPending);
        copy.open.retainAll(open);
        pending.forEach((id, channels) -> copy.pending.put(id, new TreeSet<>(channels)));
        copy.lastBarrier.putAll(lastBarrier);
        copy.latest = latest;
        return copy;
    }

    List<String> barrier(int channel, long id) {
        List<String> actions = new ArrayList<>();
        lastBarrier.put(channel, id);
        if (pending.containsKey(id)) {
            pending.get(id).add(channel);
        } else if (id > latest) {
            latest = id;
            if (exactlyOnce) {
                abortAll(actions, "SUBSUMED");
            }
            pending.put(id, new TreeSet<>(Set.of(channel)));
        } else {
            return actions; // late
        }
        if (!triggerNewestComplete(actions) && pending.size() > maxPending) {
            Long oldest = pending.firstKey();
            pending.remove(oldest);
            actions.add("abort " + oldest + " TOO_MANY_PENDING");
        }
        return actions;
    }

    List<String> end(int channel) {
        List<String> actions = new ArrayList<>();
        open.remove(channel);
        triggerNewestComplete(actions);
        return actions;
    }

    List<String> cancel(long id) {
        List<String> actions = new ArrayList<>();
        if (pending.containsKey(id)) {
            pending.remove(id);
            actions.add("abort " + id + " CANCELLED");
        } else if (id > latest) {
            latest = id;
            if (exactlyOnce) {
                abortAll(actions, "SUBSUMED");
            }
            actions.add("abort " + id + " CANCELLED");
        }
        return actions;
    }

    boolean blocked(int channel) {
        return exactlyOnce && pending.values().stream().anyMatch(delivered -> delivered.contains(channel));
    }

    private boolean triggerNewestComplete(List<String> actions) {
        Long newest = null;
        for (Map.Entry<Long, Set<Integer>> e : pending.entrySet()) {
            if (e.getValue().containsAll(open)) {
                newest = e.getKey();
            }
        }
        if (newest == null) {
            return false;
        }
        for (Long older : pending.headMap(newest).keySet()) {
            actions.add("abort " + older + " SUBSUMED");
        }
        actions.add("trigger " + newest);
        pending.headMap(newest, true).clear();
        return true;
    }

    private void abortAll(List<String> actions, String reason) {
        pending.keySet().forEach(id -> actions.add("abort " + id + " " + reason));
        pending.clear();
    }
}
