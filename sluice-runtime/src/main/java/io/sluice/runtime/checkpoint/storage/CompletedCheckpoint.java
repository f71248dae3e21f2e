package io.sluice.runtime.checkpoint.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A completed checkpoint: its verified metadata and access to the files it names. Obtained from
 * {@link CheckpointWriter#complete(byte[])}, {@link CheckpointStorage#open(long)} or
 * {@link FileSystemCheckpointStorage#openPath(java.nio.file.Path)}; opening already checked the metadata's own
 * checksum.
 *
 * <p>Reading a file checks it against the metadata: a missing or unreadable file or a wrong size fails when it is
 * opened, more bytes than recorded as soon as they are read, and a wrong checksum at the end of the file. Every
 * such failure is a {@link CorruptCheckpointException} naming the checkpoint id and the file. A reader that stops
 * before the end of a file has not had its checksum checked; {@link #readFile} and {@link #verify()} always read to
 * the end.
 *
 * <p>Threading: immutable; files may be opened and read from several threads at once, each stream by one thread.
 */
public final class CompletedCheckpoint {
    private final CheckpointMetadata metadata;
    private final String location;
    private final StateFileSource source;
    private final Set<StateFileHandle> named;

    CompletedCheckpoint(CheckpointMetadata metadata, String location, StateFileSource source) {
        this.metadata = metadata;
        this.named = Set.copyOf(metadata.files());
        this.location = location;
        this.source = source;
    }

    public long checkpointId() {
        return metadata.checkpointId();
    }

    public CheckpointMetadata metadata() {
        return metadata;
    }

    /** Every file the checkpoint names. */
    public List<StateFileHandle> files() {
        return metadata.files();
    }

    /** The coordinator's opaque bytes (a copy). */
    public byte[] payload() {
        return metadata.payload();
    }

    /** Where the checkpoint lives (its directory), for messages and for {@code --from-checkpoint PATH}. */
    public String location() {
        return location;
    }

    /** The file of {@code scope} named {@code name}, if the checkpoint names it. */
    public Optional<StateFileHandle> file(StateFileHandle.Scope scope, String name) {
        return metadata.files().stream().filter(f -> f.scope() == scope && f.name().equals(name)).findFirst();
    }

    /** The full path or address of one of this checkpoint's files. */
    public String fileLocation(StateFileHandle file) {
        return source.describe(requireNamed(file));
    }

    /** Opens one of this checkpoint's files for reading, verifying it as described above. */
    public InputStream openFile(StateFileHandle file) throws IOException {
        String where = source.describe(requireNamed(file));
        long size;
        try {
            size = source.size(file);
        } catch (NoSuchFileException e) {
            throw corrupt(where, "missing", e);
        } catch (IOException e) {
            throw corrupt(where, "unreadable: " + e, e);
        }
        if (size != file.size()) {
            throw corrupt(where, "has " + size + " bytes, the metadata recorded " + file.size()
                    + (size < file.size() ? " (truncated)" : ""), null);
        }
        ReadableByteChannel channel;
        try {
            channel = source.open(file);
        } catch (NoSuchFileException e) {
            throw corrupt(where, "missing", e);
        } catch (IOException e) {
            throw corrupt(where, "unreadable: " + e, e);
        }
        return new VerifyingInputStream(channel, file, checkpointId(), location, where);
    }

    /** Reads one of this checkpoint's files whole, verifying size and checksum. */
    public byte[] readFile(StateFileHandle file) throws IOException {
        if (file.size() > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("State file " + fileLocation(file) + " of checkpoint " + checkpointId()
                    + " has " + file.size() + " bytes, too many for one array; use openFile");
        }
        try (InputStream in = openFile(file)) {
            byte[] bytes = in.readNBytes((int) file.size());
            // Reading on to the end verifies size and checksum; a longer file throws instead of returning a byte.
            in.read();
            return bytes;
        }
    }

    /** Reads every file to its end, failing on the first one that is missing, unreadable or corrupt. */
    public void verify() throws IOException {
        byte[] scratch = new byte[FileStateOutputStream.BUFFER_BYTES];
        for (StateFileHandle file : metadata.files()) {
            try (InputStream in = openFile(file)) {
                while (in.read(scratch) >= 0) {
                    // reading to the end verifies
                }
            }
        }
    }

    @Override
    public String toString() {
        return "CompletedCheckpoint{id=" + checkpointId() + ", location=" + location + ", files=" + files().size() + "}";
    }

    private StateFileHandle requireNamed(StateFileHandle file) {
        if (!named.contains(file)) {
            throw new IllegalArgumentException("Checkpoint " + checkpointId() + " does not name " + file);
        }
        return file;
    }

    private CorruptCheckpointException corrupt(String file, String problem, Throwable cause) {
        return new CorruptCheckpointException(checkpointId(), location, file, problem, cause);
    }
}
