package io.sluice.runtime.checkpoint.alignment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Feeds events to a {@link BarrierAligner} and to a {@link ReferenceAlignment} side by side. After each event it
 * checks that both asked for the same actions and block the same channels, and, from its own bookkeeping of the
 * events alone, the invariants: a triggered checkpoint's barrier came on every channel open at that moment; triggered
 * ids strictly increase; no checkpoint is triggered or aborted twice, nor triggered after a cancellation; in
 * exactly-once mode a channel is blocked exactly from its barrier of checkpoint n until n is triggered or aborted, and
 * at most one checkpoint is pending; in at-least-once mode nothing is ever blocked. A failure names the setup and the
 * events so far.
 */
final class AlignmentChecker {

    sealed interface Event {
        record Barrier(int channel, long id) implements Event {
            @Override
            public String toString() {
                return "barrier(" + channel + ", " + id + ")";
            }
        }

        record End(int channel) implements Event {
            @Override
            public String toString() {
                return "end(" + channel + ")";
            }
        }

        record Cancel(long id) implements Event {
            @Override
            public String toString() {
                return "cancel(" + id + ")";
            }
        }
    }

    final ReferenceAlignment model;
    private final BarrierAligner aligner;
    private final boolean exactlyOnce;
    private final String setup;
    private final List<Event> events = new ArrayList<>();
    private final Map<Long, Set<Integer>> delivered = new HashMap<>();
    private final Set<Integer> open = new TreeSet<>();
    private final Set<Long> pending = new TreeSet<>();
    private final Set<Long> resolved = new HashSet<>();
    private final Set<Long> cancelled = new HashSet<>();
    /** Per channel: the checkpoint whose barrier it delivered and that is not yet resolved, or 0. */
    private final long[] deliveredPending;
    private long latest;
    private long lastTriggered;
    int triggered;
    int aborted;

    AlignmentChecker(AlignmentMode mode, int channels, int maxPending, String setup) {
        this.aligner = mode == AlignmentMode.EXACTLY_ONCE ? BarrierAligner.create(mode, channels)
                : BarrierAligner.atLeastOnce(channels, maxPending);
        this.model = new ReferenceAlignment(mode, channels, maxPending);
        this.exactlyOnce = mode == AlignmentMode.EXACTLY_ONCE;
        this.setup = setup;
        this.deliveredPending = new long[channels];
        for (int c = 0; c < channels; c++) {
            open.add(c);
        }
    }

    void apply(Event event) {
        events.add(event);
        AlignmentAction action;
        List<String> expected;
        switch (event) {
            case Event.Barrier b -> {
                boolean accepted = pending.contains(b.id()) || b.id() > latest;
                latest = Math.max(latest, b.id());
                delivered.computeIfAbsent(b.id(), id -> new TreeSet<>()).add(b.channel());
                if (accepted) {
                    pending.add(b.id());
                    deliveredPending[b.channel()] = b.id();
                }
                expected = model.barrier(b.channel(), b.id());
                action = aligner.onBarrier(b.channel(), b.id());
            }
            case Event.End e -> {
                open.remove(e.channel());
                deliveredPending[e.channel()] = 0;
                expected = model.end(e.channel());
                action = aligner.onEndOfInput(e.channel());
            }
            case Event.Cancel c -> {
                cancelled.add(c.id());
                latest = Math.max(latest, c.id());
                expected = model.cancel(c.id());
                action = aligner.onCancelCheckpoint(c.id());
            }
        }
        List<String> actual;
        try {
            actual = Actions.words(action);
        } catch (AssertionError e) {
            throw failure(e.getMessage());
        }
        check(actual.equals(expected), "actions " + actual + ", the reference model expects " + expected);
        for (String word : actual) {
            String[] parts = word.split(" ");
            long id = Long.parseLong(parts[1]);
            check(resolved.add(id), "checkpoint " + id + " resolved a second time: " + word);
            pending.remove(id);
            for (int c = 0; c < deliveredPending.length; c++) {
                if (deliveredPending[c] == id) {
                    deliveredPending[c] = 0;
                }
            }
            if (parts[0].equals("trigger")) {
                triggered++;
                check(id > lastTriggered, "triggered " + id + " after " + lastTriggered);
                lastTriggered = id;
                check(!cancelled.contains(id), "triggered " + id + " after it was cancelled");
                check(delivered.getOrDefault(id, Set.of()).containsAll(open), "triggered " + id + " with barriers from "
                        + delivered.get(id) + " only, open channels " + open);
            } else {
                aborted++;
            }
        }
        for (int c = 0; c < deliveredPending.length; c++) {
            boolean blocked = aligner.isBlocked(c);
            check(blocked == model.blocked(c), "channel " + c + " blocked " + blocked + ", model says " + !blocked);
            check(blocked == (exactlyOnce && deliveredPending[c] != 0), "channel " + c + " blocked " + blocked
                    + (deliveredPending[c] == 0 ? " with no pending barrier delivered"
                            : " having delivered pending barrier " + deliveredPending[c]));
        }
        check(!exactlyOnce || pending.size() <= 1, "several checkpoints pending in exactly-once mode: " + pending);
        check(pending.equals(model.pending.keySet()), "pending " + pending + ", model " + model.pending.keySet());
        check(aligner.hasPendingCheckpoint() == !pending.isEmpty(), "hasPendingCheckpoint with pending " + pending);
        check(aligner.latestCheckpointId() == latest, "latest id " + aligner.latestCheckpointId() + ", expected "
                + latest);
        check(!open.isEmpty() || pending.isEmpty(), "every channel ended but " + pending + " still pending");
    }

    private void check(boolean condition, String message) {
        if (!condition) {
            throw failure(message);
        }
    }

    private AssertionError failure(String message) {
        String text = setup + ": " + message + "\n  events: " + events + "\n  aligner: " + aligner;
        System.out.println("FAILED " + text);
        return new AssertionError(text);
    }
}
