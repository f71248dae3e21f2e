package io.sluice.runtime.checkpoint.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What a completed checkpoint's metadata file holds: the checkpoint id, every file the checkpoint names (private
 * and shared, each with size and checksum) and an opaque payload supplied by the checkpoint coordinator (which
 * operator and task own which files). Immutable and safe to share between threads.
 *
 * <p>Files are kept sorted (private before shared, then by name), so equal checkpoints encode to equal bytes.
 * A file appears at most once per scope.
 */
public final class CheckpointMetadata {
    private static final Comparator<StateFileHandle> ORDER =
            Comparator.comparing(StateFileHandle::scope).thenComparing(StateFileHandle::name);

    private final long checkpointId;
    private final List<StateFileHandle> files;
    private final byte[] payload;

    public CheckpointMetadata(long checkpointId, List<StateFileHandle> files, byte[] payload) {
        if (checkpointId < 0) {
            throw new IllegalArgumentException("negative checkpoint id " + checkpointId);
        }
        List<StateFileHandle> sorted = new ArrayList<>(files);
        sorted.sort(ORDER);
        Set<String> seen = new HashSet<>();
        for (StateFileHandle f : sorted) {
            if (!seen.add(f.scope() + "/" + f.name())) {
                throw new IllegalArgumentException("checkpoint " + checkpointId + " names " + f.scope().name().toLowerCase(Locale.ROOT)
                        + " file " + f.name() + " twice");
            }
        }
        this.checkpointId = checkpointId;
        this.files = List.copyOf(sorted);
        this.payload = Objects.requireNonNull(payload, "payload").clone();
    }

    public long checkpointId() {
        return checkpointId;
    }

    /** Every file the checkpoint names, private ones first, each scope sorted by name. */
    public List<StateFileHandle> files() {
        return files;
    }

    /** The files of one scope, sorted by name. */
    public List<StateFileHandle> files(StateFileHandle.Scope scope) {
        return files.stream().filter(f -> f.scope() == scope).toList();
    }

    /** The coordinator's opaque bytes (a copy). */
    public byte[] payload() {
        return payload.clone();
    }

    int payloadLength() {
        return payload.length;
    }

    byte[] payloadUnsafe() {
        return payload;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckpointMetadata m && m.checkpointId == checkpointId && m.files.equals(files)
                && Arrays.equals(m.payload, payload);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(checkpointId) * 31 + files.hashCode();
    }

    @Override
    public String toString() {
        return "CheckpointMetadata{id=" + checkpointId + ", files=" + files.size() + ", payload=" + payload.length
                + " bytes}";
    }
}
