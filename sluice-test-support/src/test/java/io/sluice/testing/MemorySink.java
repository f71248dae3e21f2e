package io.sluice.testing;

import io.sluice.api.sink.SinkContext;
import io.sluice.api.sink.TwoPhaseCommitSink;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A two-phase-commit sink of tagged records into memory, with faults to inject: the pre-committed transaction holds
 * its lines (so the checkpoint holds them), commit appends them to the output. Correct by default (commit idempotent
 * by transaction id); each {@link Fault} breaks it in one way and writes down what it did, the oracle of the tests.
 * The output lives in this JVM under a random id (copies made for subtasks share it); {@link #clear()} drops it
 * ({@link MemorySinks} does after each test).
 */
final class MemorySink implements TwoPhaseCommitSink<Tagged<String>, MemorySink.Tx> {

    /** How the sink is broken. */
    enum Fault {
        NONE,
        /**
         * The commit of the transaction pre-committed for {@link #faultyCheckpoint} publishes nothing (once); with a
         * negative {@code faultyCheckpoint}, the first commit that has lines, whichever checkpoint it belongs to.
         */
        DROP_ON_COMMIT,
        /** Every commit appends, also a repeated one (recovery commits again): not idempotent. */
        APPEND_ON_EVERY_COMMIT,
        /** The pre-commit for {@link #faultyCheckpoint} keeps its lines for the next transaction: they commit twice. */
        KEEP_BUFFER
    }

    /** A pre-committed transaction: its lines ({@link Tagged#toString()}). */
    record Tx(String id, long checkpointId, List<String> lines) implements Serializable {}

    /** The output and what the faults did. Thread-safe. */
    static final class Destination {
        private final List<String> output = new ArrayList<>();
        private final Set<String> committed = new HashSet<>();
        private final List<String> repeated = new ArrayList<>();
        private final List<String> dropped = new ArrayList<>();
        private long droppedCheckpoint = -1;
        private final List<String> keptTwice = new ArrayList<>();

        synchronized void commit(Tx tx, Fault fault, long faultyCheckpoint) {
            boolean again = !committed.add(tx.id());
            boolean faulty = faultyCheckpoint < 0 ? !tx.lines().isEmpty() : tx.checkpointId() == faultyCheckpoint;
            if (fault == Fault.DROP_ON_COMMIT && faulty && !again && dropped.isEmpty()) {
                dropped.addAll(tx.lines());
                droppedCheckpoint = tx.checkpointId();
                return;
            }
            if (again && fault != Fault.APPEND_ON_EVERY_COMMIT) {
                return;
            }
            if (again) {
                repeated.addAll(tx.lines());
            }
            output.addAll(tx.lines());
        }

        /** The output, one line per record. */
        synchronized List<String> lines() {
            return new ArrayList<>(output);
        }

        /** The tags of the output, one per line. */
        synchronized List<Tag> outputTags() {
            return output.stream().map(Tag::fromLine).toList();
        }

        /** The checkpoint whose commit was dropped, or -1. */
        synchronized long droppedCheckpoint() {
            return droppedCheckpoint;
        }

        /** The tags of the lines a dropped commit did not publish. */
        synchronized Set<Tag> droppedTags() {
            return tags(dropped);
        }

        /** Tag to how often repeated commits appended it again (beyond the first time). */
        synchronized Map<Tag, Integer> repeatedAppends() {
            Map<Tag, Integer> extra = new HashMap<>();
            repeated.forEach(line -> extra.merge(Tag.fromLine(line), 1, Integer::sum));
            return extra;
        }

        synchronized Set<Tag> keptTwiceTags() {
            return tags(keptTwice);
        }

        synchronized void keptTwice(List<String> lines) {
            keptTwice.addAll(lines);
        }

        private static Set<Tag> tags(List<String> lines) {
            Set<Tag> tags = new HashSet<>();
            lines.forEach(l -> tags.add(Tag.fromLine(l)));
            return tags;
        }
    }

    private static final Map<String, Destination> DESTINATIONS = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();
    private final Fault fault;
    private final long faultyCheckpoint;

    MemorySink(Fault fault, long faultyCheckpoint) {
        this.fault = fault;
        this.faultyCheckpoint = faultyCheckpoint;
        DESTINATIONS.put(id, new Destination());
    }

    Destination destination() {
        return DESTINATIONS.get(id);
    }

    void clear() {
        DESTINATIONS.remove(id);
    }

    @Override
    public TransactionalWriter<Tagged<String>, Tx> createWriter(SinkContext context) {
        Destination destination = destination();
        String writer = UUID.randomUUID().toString();
        return new TransactionalWriter<>() {
            private List<String> open = new ArrayList<>();
            private int seq;

            @Override
            public void recover(List<Tx> committedByCheckpoint) {
                committedByCheckpoint.forEach(tx -> destination.commit(tx, fault, faultyCheckpoint));
            }

            @Override
            public void write(Tagged<String> record) {
                open.add(record.toString());
            }

            @Override
            public Tx preCommit(long checkpointId) {
                if (open.isEmpty()) {
                    return null;
                }
                Tx tx = new Tx(writer + "-" + seq++, checkpointId, List.copyOf(open));
                if (fault == Fault.KEEP_BUFFER && checkpointId == faultyCheckpoint) {
                    destination.keptTwice(tx.lines());
                } else {
                    open = new ArrayList<>();
                }
                return tx;
            }

            @Override
            public void commit(Tx transaction) {
                destination.commit(transaction, fault, faultyCheckpoint);
            }

            @Override
            public void close() {}
        };
    }
}
