package io.sluice.runtime.checkpoint.storage;

import io.sluice.runtime.checkpoint.storage.StateFileHandle.Scope;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CheckpointWriter} of a {@link FileSystemCheckpointStorage}: private files in the checkpoint's directory,
 * shared files in the storage's {@code shared/} directory. State changes happen under this object's lock; bytes
 * are written outside it, so streams of one checkpoint proceed in parallel.
 */
final class FileSystemCheckpointWriter implements CheckpointWriter {
    private static final Logger LOG = LoggerFactory.getLogger(FileSystemCheckpointWriter.class);

    private enum State { OPEN, COMPLETED, ABORTED }

    private final FileSystemCheckpointStorage storage;
    private final long checkpointId;
    private final Path dir;
    private final Path sharedDir;
    private final FileChannelOpener opener;
    /** Writes files only, for a checkpoint another process completes ({@link CheckpointStorage#participant}). */
    private final boolean participant;

    // guarded by this
    private State state = State.OPEN;
    /** "scope/name" of every file recorded or being written. */
    private final Set<String> names = new HashSet<>();
    private final Map<String, StateFileHandle> recorded = new HashMap<>();
    /** Shared files this checkpoint created (or is creating): deleted on abort. */
    private final Set<String> sharedCreated = new HashSet<>();
    /** A participant's file was adopted into shared/: its directory entry is synced before the metadata is written. */
    private boolean sharedAdopted;
    private final Set<FileStateOutputStream> openStreams = new HashSet<>();

    FileSystemCheckpointWriter(FileSystemCheckpointStorage storage, long checkpointId, Path dir, Path sharedDir,
            FileChannelOpener opener, boolean participant) {
        this.participant = participant;
        this.storage = storage;
        this.checkpointId = checkpointId;
        this.dir = dir;
        this.sharedDir = sharedDir;
        this.opener = opener;
    }

    @Override
    public long checkpointId() {
        return checkpointId;
    }

    @Override
    public String storageLocation() {
        return storage.location();
    }

    @Override
    public StateFileOutputStream createFile(String name) throws IOException {
        return create(Scope.PRIVATE, name);
    }

    @Override
    public StateFileOutputStream createSharedFile(String name) throws IOException {
        return create(Scope.SHARED, name);
    }

    private synchronized StateFileOutputStream create(Scope scope, String name) throws IOException {
        StateFileNames.requireValid(name);
        requireOpen();
        String key = key(scope, name);
        if (!names.add(key)) {
            throw new IllegalArgumentException("Checkpoint " + checkpointId + " already has " + describe(scope)
                    + " file " + name);
        }
        Path path = resolve(scope, name);
        FileChannel channel;
        try {
            channel = opener.createNew(path);
        } catch (IOException e) {
            names.remove(key);
            throw new CheckpointWriteException(checkpointId, path.toString(), "cannot create the file", e);
        }
        if (scope == Scope.SHARED) {
            sharedCreated.add(name);
        }
        FileStateOutputStream stream = new FileStateOutputStream(this, scope, name, path, channel);
        openStreams.add(stream);
        return stream;
    }

    @Override
    public synchronized StateFileHandle referenceSharedFile(StateFileHandle sharedFile) throws IOException {
        if (sharedFile.scope() != Scope.SHARED) {
            throw new IllegalArgumentException("Checkpoint " + checkpointId + " can only reference shared files, not "
                    + sharedFile);
        }
        requireOpen();
        String key = key(Scope.SHARED, sharedFile.name());
        StateFileHandle existing = recorded.get(key);
        if (existing != null) {
            if (!existing.equals(sharedFile)) {
                throw new IllegalArgumentException("Checkpoint " + checkpointId + " already names " + existing
                        + ", not " + sharedFile);
            }
            return existing;
        }
        if (names.contains(key)) {
            throw new IllegalArgumentException("Checkpoint " + checkpointId + " is still writing shared file "
                    + sharedFile.name());
        }
        checkSharedFilePresent(sharedFile);
        names.add(key);
        recorded.put(key, sharedFile);
        return sharedFile;
    }

    @Override
    public synchronized StateFileHandle adopt(StateFileHandle file) throws IOException {
        requireOpen();
        if (participant) {
            throw new IllegalStateException("Checkpoint " + checkpointId + ": a participant's writer adopts no files");
        }
        if (file.scope() == Scope.SHARED) {
            sharedAdopted = true;
            return referenceSharedFile(file);
        }
        StateFileNames.requireValid(file.name());
        String key = key(Scope.PRIVATE, file.name());
        if (!names.add(key)) {
            throw new IllegalArgumentException("Checkpoint " + checkpointId + " already has private file " + file.name());
        }
        Path path = dir.resolve(file.name());
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            names.remove(key);
            throw new CheckpointWriteException(checkpointId, path.toString(), "the file a participant wrote is missing", e);
        }
        if (size != file.size()) {
            names.remove(key);
            throw new CheckpointWriteException(checkpointId, path.toString(), "the file a participant wrote has " + size
                    + " bytes, its handle says " + file.size(), null);
        }
        recorded.put(key, file);
        return file;
    }

    @Override
    public synchronized List<StateFileHandle> files() {
        return List.copyOf(recorded.values());
    }

    @Override
    public synchronized CompletedCheckpoint complete(byte[] payload) throws IOException {
        requireOpen();
        if (participant) {
            throw new IllegalStateException("Checkpoint " + checkpointId + ": a participant's writer does not complete "
                    + "it; the coordinator's writer does");
        }
        if (!openStreams.isEmpty()) {
            List<String> open = openStreams.stream().map(s -> s.path().toString()).sorted().toList();
            throw new IllegalStateException("Checkpoint " + checkpointId + " cannot complete: files still being written: "
                    + open);
        }
        CheckpointMetadata metadata = new CheckpointMetadata(checkpointId, new ArrayList<>(recorded.values()), payload);
        Path file = dir;
        String step = "cannot sync the checkpoint directory";
        try {
            for (StateFileHandle f : metadata.files(Scope.SHARED)) {
                if (!sharedCreated.contains(f.name())) {
                    checkSharedFilePresent(f);
                }
            }
            FileSystemLayout.fsyncDirectory(dir);
            if (!sharedCreated.isEmpty() || sharedAdopted) {
                file = sharedDir;
                FileSystemLayout.fsyncDirectory(sharedDir);
            }
            byte[] bytes = MetadataFormat.encode(metadata);
            Path temp = dir.resolve(FileSystemLayout.METADATA_TEMP);
            file = temp;
            step = "cannot write the metadata";
            try (FileChannel channel = opener.createNew(temp)) {
                ByteBuffer src = ByteBuffer.wrap(bytes);
                while (src.hasRemaining()) {
                    channel.write(src);
                }
                step = "cannot sync the metadata to disk";
                channel.force(true);
            }
            Path target = dir.resolve(FileSystemLayout.METADATA);
            file = target;
            step = "cannot rename " + temp.getFileName() + " to " + target.getFileName();
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            file = dir;
            step = "cannot sync the checkpoint directory after renaming the metadata";
            FileSystemLayout.fsyncDirectory(dir);
        } catch (IOException e) {
            CheckpointWriteException failure = e instanceof CheckpointWriteException c ? c
                    : new CheckpointWriteException(checkpointId, file.toString(), step, e);
            abort();
            throw failure;
        }
        state = State.COMPLETED;
        storage.writerFinished(checkpointId);
        return storage.completedCheckpoint(metadata, dir);
    }

    @Override
    public synchronized void abort() {
        if (state != State.OPEN) {
            return;
        }
        state = State.ABORTED;
        if (participant) {
            // Only what this participant wrote: the directory and the metadata are the coordinator's.
            for (StateFileHandle f : recorded.values()) {
                if (f.scope() == Scope.PRIVATE) {
                    delete(dir.resolve(f.name()));
                }
            }
            for (String name : sharedCreated) {
                delete(sharedDir.resolve(name));
            }
            return;
        }
        storage.writerFinished(checkpointId);
        // The metadata goes first: should a rename have succeeded before a failure, the checkpoint must stop
        // being complete before any of its files disappear.
        delete(dir.resolve(FileSystemLayout.METADATA));
        try {
            FileSystemLayout.deleteRecursively(dir);
        } catch (IOException e) {
            warnNotDeleted(dir, e);
        }
        for (String name : sharedCreated) {
            delete(sharedDir.resolve(name));
        }
        LOG.debug("Aborted checkpoint {} at {}", checkpointId, dir);
    }

    @Override
    public void close() {
        abort();
    }

    /** A stream finished its file: record it, unless the checkpoint was aborted meanwhile. */
    synchronized void fileWritten(FileStateOutputStream stream, StateFileHandle handle) throws CheckpointWriteException {
        openStreams.remove(stream);
        if (state != State.OPEN) {
            delete(stream.path());
            throw new CheckpointWriteException(checkpointId, stream.path().toString(),
                    "the checkpoint was " + state.name().toLowerCase(Locale.ROOT) + " while the file was written", null);
        }
        recorded.put(key(handle.scope(), handle.name()), handle);
    }

    /** A stream failed or was closed without a handle; its file is already deleted and its name is free again. */
    synchronized void fileDiscarded(FileStateOutputStream stream) {
        if (openStreams.remove(stream)) {
            names.remove(key(stream.scope(), stream.name()));
            if (stream.scope() == Scope.SHARED) {
                sharedCreated.remove(stream.name());
            }
        }
    }

    void warnNotDeleted(Path path, IOException e) {
        LOG.warn("Checkpoint {}: cannot delete {} ({}); the next sweep of the checkpoint store removes it",
                checkpointId, path, e.toString());
    }

    private void checkSharedFilePresent(StateFileHandle f) throws CheckpointWriteException {
        Path path = sharedDir.resolve(f.name());
        long size;
        try {
            size = Files.size(path);
        } catch (NoSuchFileException e) {
            throw new CheckpointWriteException(checkpointId, path.toString(),
                    "referenced shared file is missing", null);
        } catch (IOException e) {
            throw new CheckpointWriteException(checkpointId, path.toString(), "cannot read referenced shared file", e);
        }
        if (size != f.size()) {
            throw new CheckpointWriteException(checkpointId, path.toString(),
                    "referenced shared file has " + size + " bytes, expected " + f.size(), null);
        }
    }

    private void requireOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException("Checkpoint " + checkpointId + " at " + dir + " is "
                    + state.name().toLowerCase(Locale.ROOT));
        }
    }

    private void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            warnNotDeleted(path, e);
        }
    }

    private Path resolve(Scope scope, String name) {
        return (scope == Scope.PRIVATE ? dir : sharedDir).resolve(name);
    }

    private static String key(Scope scope, String name) {
        return scope.name() + "/" + name;
    }

    private static String describe(Scope scope) {
        return scope.name().toLowerCase(Locale.ROOT);
    }
}
