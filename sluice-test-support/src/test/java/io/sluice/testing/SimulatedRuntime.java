package io.sluice.testing;

import io.sluice.api.sink.TwoPhaseCommitSink;
import io.sluice.api.sink.TwoPhaseCommitSink.TransactionalWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The runtime's exactly-once protocol played by hand around a verifier, so that tests decide every step and know
 * exactly what happened: one source subtask reads its splits round robin into a chained witness and routes each
 * record to one of the verified sink's subtasks; a checkpoint pre-commits every writer and keeps the source positions
 * and every pending handle; completing it commits the pending handles up to it; a crash drops the writers and restores
 * the latest completed checkpoint (recover with its handles, positions rewound); the end pre-commits and commits the
 * rest. Two runtime faults can be switched on, with their effect written down as the oracle. Single-threaded.
 */
final class SimulatedRuntime {

    /** Ways the simulated runtime breaks exactly-once. */
    enum Fault {
        NONE,
        /** After a crash it commits the transactions the restored checkpoint does not hold instead of aborting them. */
        COMMIT_ABORTED,
        /** After a crash the source resumes where it was at the crash, not at the restored checkpoint's positions. */
        RESTORE_SOURCE_AHEAD
    }

    private record Snapshot(long id, long[] positions, List<List<VerifiedTransaction>> handles) {}

    private final TwoPhaseCommitSink<Tagged<String>, VerifiedTransaction> witness;
    private final TwoPhaseCommitSink<Tagged<String>, VerifiedTransaction> sink;
    private final int sinkParallelism;
    private final long[] lengths;
    private final long[] positions;
    private final Fault fault;
    /** Writer 0 is the witness, 1.. the sink's subtasks. */
    private final List<TransactionalWriter<Tagged<String>, VerifiedTransaction>> writers = new ArrayList<>();
    private final List<TreeMap<Long, VerifiedTransaction>> pending = new ArrayList<>();
    /** The tags written into each sink transaction (by handle id), and into each writer's open one. */
    private final Map<String, List<Tag>> tagsOf = new HashMap<>();
    private final List<List<Tag>> open = new ArrayList<>();
    private Snapshot completed;
    private long nextCheckpoint = 1;
    private int nextSplit;
    /** The oracle: tags the runtime's fault made duplicates, or skipped. */
    private final Set<Tag> faultDuplicated = new HashSet<>();
    private final Set<Tag> skipped = new HashSet<>();
    /** Per split, how far this run's witness has seen it (-1: not at all): what its next pre-commit records. */
    private final long[] witnessed;
    /** The witness positions each witness transaction recorded, by handle id. */
    private final Map<String, long[]> witnessedBy = new HashMap<>();
    /** Per split, the furthest position of a committed witness transaction. */
    private final long[] covered;

    SimulatedRuntime(ExactlyOnceVerifier verifier, TwoPhaseCommitSink<Tagged<String>, ?> userSink, int sinkParallelism,
            long[] splitLengths, Fault fault) throws Exception {
        this.witness = verifier.witness();
        this.sink = verifier.sink(cast(userSink));
        this.sinkParallelism = sinkParallelism;
        this.lengths = splitLengths.clone();
        this.positions = new long[lengths.length];
        this.witnessed = new long[lengths.length];
        this.covered = new long[lengths.length];
        this.fault = fault;
        for (int w = 0; w <= sinkParallelism; w++) {
            writers.add(null);
            pending.add(new TreeMap<>());
            open.add(new ArrayList<>());
        }
        start();
    }

    @SuppressWarnings("unchecked")
    private static <TX extends java.io.Serializable> TwoPhaseCommitSink<Tagged<String>, TX> cast(TwoPhaseCommitSink<Tagged<String>, ?> sink) {
        return (TwoPhaseCommitSink<Tagged<String>, TX>) sink;
    }

    static String split(int index) {
        return "src/s" + index;
    }

    /** Emits up to {@code count} records, one split after the other. */
    void emit(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            int s = nextSplitWithInput();
            if (s < 0) {
                return;
            }
            Tagged<String> record = new Tagged<>(split(s), positions[s]++, "v" + s + "-" + (positions[s] - 1));
            int target = 1 + (int) Math.floorMod(record.offset() * 31 + s, sinkParallelism);
            writers.get(0).write(record);
            witnessed[s] = positions[s];
            writers.get(target).write(record);
            open.get(target).add(record.tag());
        }
    }

    private int nextSplitWithInput() {
        for (int tried = 0; tried < lengths.length; tried++) {
            int s = nextSplit++ % lengths.length;
            if (positions[s] < lengths[s]) {
                return s;
            }
        }
        return -1;
    }

    /** Takes a checkpoint: pre-commits every writer; returns its id. */
    long checkpoint() throws Exception {
        long id = nextCheckpoint++;
        List<List<VerifiedTransaction>> handles = new ArrayList<>();
        for (int w = 0; w < writers.size(); w++) {
            VerifiedTransaction h = writers.get(w).preCommit(id);
            if (h != null) {
                pending.get(w).put(id, h);
                tagsOf.put(h.id(), List.copyOf(open.get(w)));
                if (w == 0) {
                    witnessedBy.put(h.id(), witnessed.clone());
                }
            }
            open.get(w).clear();
            handles.add(List.copyOf(pending.get(w).values()));
        }
        live.put(id, new Snapshot(id, positions.clone(), handles));
        return id;
    }

    /** Checkpoints of the current run that may still complete. */
    private final TreeMap<Long, Snapshot> live = new TreeMap<>();

    /** The checkpoints of the current run that may still complete, oldest first. */
    List<Long> completable() {
        return List.copyOf(live.keySet());
    }

    /** Checkpoint {@code id} completes: every writer commits its pending transactions up to it. */
    void complete(long id) throws Exception {
        completed = live.get(id);
        if (completed == null) {
            throw new IllegalArgumentException("checkpoint " + id + " cannot complete now; these can: " + live.keySet());
        }
        live.headMap(id, true).clear();
        for (int w = 0; w < writers.size(); w++) {
            var due = pending.get(w).headMap(id, true);
            for (VerifiedTransaction h : due.values()) {
                commit(w, h);
            }
            due.clear();
        }
    }

    /** A failure: the writers go, the latest completed checkpoint comes back. */
    void crash() throws Exception {
        Set<String> restored = new HashSet<>();
        if (completed != null) {
            completed.handles().forEach(hs -> hs.forEach(h -> restored.add(h.id())));
        }
        for (int w = 0; w < writers.size(); w++) {
            for (VerifiedTransaction h : pending.get(w).values()) {
                if (!restored.contains(h.id()) && fault == Fault.COMMIT_ABORTED) {
                    commit(w, h); // should be aborted: its records are replayed
                    if (w > 0) {
                        faultDuplicated.addAll(tagsOf.get(h.id()));
                    }
                }
            }
            writers.get(w).close();
        }
        long[] atCrash = positions.clone();
        live.clear();
        start();
        if (fault == Fault.RESTORE_SOURCE_AHEAD) {
            for (int s = 0; s < positions.length; s++) {
                // Skipped records are visible only if the split is read again later (it is, at the latest by finish):
                // a split skipped to its end is never read again, so no committed position of it ever covers them.
                for (long o = positions[s]; o < atCrash[s]; o++) {
                    skipped.add(new Tag(split(s), o));
                }
                positions[s] = atCrash[s];
            }
        }
    }

    private void start() throws Exception {
        for (int w = 0; w < writers.size(); w++) {
            TwoPhaseCommitSink<Tagged<String>, VerifiedTransaction> of = w == 0 ? witness : sink;
            TransactionalWriter<Tagged<String>, VerifiedTransaction> writer = of.createWriter(new TaskContext(w == 0 ? 0 : w - 1,
                    w == 0 ? 1 : sinkParallelism, w == 0 ? "witness" : "sink"));
            List<VerifiedTransaction> handles = completed == null ? List.of() : completed.handles().get(w);
            writer.recover(handles);
            if (w == 0) {
                handles.forEach(this::covers);
            }
            writers.set(w, writer);
            pending.get(w).clear();
            open.get(w).clear();
        }
        for (int s = 0; s < positions.length; s++) {
            positions[s] = completed == null ? 0 : completed.positions()[s];
            witnessed[s] = -1;
        }
    }

    private void commit(int writer, VerifiedTransaction h) throws Exception {
        writers.get(writer).commit(h);
        if (writer == 0) {
            covers(h);
        }
    }

    /** The witness transaction {@code h} is committed: its positions count. */
    private void covers(VerifiedTransaction h) {
        long[] positionsOf = witnessedBy.get(h.id());
        for (int s = 0; s < covered.length; s++) {
            covered[s] = Math.max(covered[s], positionsOf[s]);
        }
    }

    /** The end of input: everything left is read, pre-committed at the end of input and committed (job success). */
    void finish() throws Exception {
        emit(Integer.MAX_VALUE);
        for (int w = 0; w < writers.size(); w++) {
            VerifiedTransaction last = writers.get(w).preCommit(Long.MAX_VALUE);
            if (last != null) {
                pending.get(w).put(Long.MAX_VALUE, last);
                if (w == 0) {
                    witnessedBy.put(last.id(), witnessed.clone());
                }
            }
            for (VerifiedTransaction h : pending.get(w).values()) {
                commit(w, h);
            }
            pending.get(w).clear();
            writers.get(w).close();
        }
    }

    Set<Tag> faultDuplicated() {
        return faultDuplicated;
    }

    /**
     * The skipped records that a committed witness position passed: those the verifier must report lost. A split
     * skipped to its end and never read again by a run whose witness committed stays invisible (nothing tells the
     * verifier the split had records there).
     */
    Set<Tag> faultLost() {
        Set<Tag> lost = new HashSet<>();
        for (Tag t : skipped) {
            int s = Integer.parseInt(t.split().substring(split(0).length() - 1));
            if (t.offset() < covered[s]) {
                lost.add(t);
            }
        }
        return lost;
    }
}
