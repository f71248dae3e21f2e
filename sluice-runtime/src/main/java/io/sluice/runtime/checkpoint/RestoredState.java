package io.sluice.runtime.checkpoint;

import io.sluice.runtime.checkpoint.storage.CompletedCheckpoint;
import io.sluice.runtime.checkpoint.storage.StateFileHandle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operator states of a completed checkpoint, by operator uid, each a list over the subtasks that wrote it (in
 * subtask order). A new run takes from it what each of its subtasks owns, at any parallelism.
 */
public final class RestoredState {
    private final long checkpointId;
    private final Map<String, List<OperatorSubtaskState>> byUid;
    private final Map<String, byte[]> enumerators;
    private final boolean holdsEveryOperator;
    /** Where the checkpoint is stored ({@link CompletedCheckpoint#location()}), or {@code null} if built in memory. */
    private final String location;

    private RestoredState(long checkpointId, Map<String, List<OperatorSubtaskState>> byUid, Map<String, byte[]> enumerators,
            boolean holdsEveryOperator, String location) {
        this.location = location;
        this.checkpointId = checkpointId;
        this.byUid = byUid;
        this.enumerators = enumerators;
        this.holdsEveryOperator = holdsEveryOperator;
    }

    /**
     * This state, known to hold every operator of the job (a checkpoint this execution of the job took: each of its
     * tasks acknowledged or finished), so an operator without state in it means lost state, not a new operator.
     */
    public RestoredState holdingEveryOperator() {
        return new RestoredState(checkpointId, byUid, enumerators, true, location);
    }

    /** Whether every operator of the job must have state in it ({@link #holdingEveryOperator()}). */
    public boolean holdsEveryOperator() {
        return holdsEveryOperator;
    }

    /** Reads and verifies every state file of {@code checkpoint}; a bad file fails naming checkpoint and file. */
    public static RestoredState load(CompletedCheckpoint checkpoint) throws IOException {
        List<OperatorSubtaskState> states = new ArrayList<>();
        Map<String, byte[]> enumerators = new LinkedHashMap<>();
        for (StateFileHandle file : checkpoint.files()) {
            if (EnumeratorState.isFile(file)) {
                EnumeratorState state = EnumeratorState.fromBytes(read(checkpoint, file));
                enumerators.put(state.uid(), state.splits());
                continue;
            }
            if (!OperatorSubtaskState.isStateFileName(file)) {
                continue; // a file an operator's state names (incremental keyed state), read by its backend
            }
            states.add(OperatorSubtaskState.fromBytes(read(checkpoint, file)).withFileReader(checkpoint::openFile));
        }
        RestoredState inMemory = of(checkpoint.checkpointId(), states, enumerators);
        return new RestoredState(inMemory.checkpointId, inMemory.byUid, inMemory.enumerators, false, checkpoint.location());
    }

    /**
     * Where the checkpoint is stored (a path a process that restores from it opens to read the files its keyed state
     * names), or {@code null} for a state built in memory.
     */
    public String location() {
        return location;
    }

    private static byte[] read(CompletedCheckpoint checkpoint, StateFileHandle file) throws IOException {
        try {
            return checkpoint.readFile(file);
        } catch (IOException e) {
            throw new IOException("Checkpoint " + checkpoint.checkpointId() + ": cannot read " + checkpoint.fileLocation(file)
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * The state of checkpoint {@code checkpointId} made of {@code states} (already read), grouped by uid in subtask
     * order; not known to hold every operator.
     */
    public static RestoredState of(long checkpointId, Collection<OperatorSubtaskState> states) {
        return of(checkpointId, states, Map.of());
    }

    /** Like {@link #of(long, Collection)}, with the source enumerators' states by uid. */
    public static RestoredState of(long checkpointId, Collection<OperatorSubtaskState> states, Map<String, byte[]> enumerators) {
        Map<String, List<OperatorSubtaskState>> byUid = new LinkedHashMap<>();
        for (OperatorSubtaskState state : states) {
            byUid.computeIfAbsent(state.uid(), k -> new ArrayList<>()).add(state);
        }
        byUid.values().forEach(l -> l.sort(Comparator.comparingInt(OperatorSubtaskState::subtask)));
        return new RestoredState(checkpointId, byUid, new LinkedHashMap<>(enumerators), false, null);
    }

    /** The splits source {@code uid}'s enumerator owned (serialized), or {@code null} if the checkpoint has none. */
    public byte[] enumeratorState(String uid) {
        return enumerators.get(uid);
    }

    public long checkpointId() {
        return checkpointId;
    }

    /** The states the operator {@code uid} wrote, one per old subtask; empty if it had none. */
    public List<OperatorSubtaskState> of(String uid) {
        return byUid.getOrDefault(uid, List.of());
    }

    /** Fails if the checkpoint holds state of an operator the job does not have (unless allowed). */
    public void checkAllMatched(Collection<String> jobUids, boolean allowNonRestoredState) {
        if (allowNonRestoredState) {
            return;
        }
        Set<String> known = Set.copyOf(jobUids);
        Set<String> stateful = new java.util.LinkedHashSet<>(byUid.keySet());
        stateful.addAll(enumerators.keySet());
        for (String uid : stateful) {
            if (!known.contains(uid)) {
                throw new IllegalStateException("Checkpoint " + checkpointId + " holds state of operator uid '" + uid
                        + "', which matches no operator of this job: set the operator's uid(...) to match, or allow "
                        + "non-restored state");
            }
        }
    }
}
