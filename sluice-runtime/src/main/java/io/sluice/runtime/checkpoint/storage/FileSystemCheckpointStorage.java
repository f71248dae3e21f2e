package io.sluice.runtime.checkpoint.storage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CheckpointStorage} in a directory of a local or shared file system: one directory per checkpoint
 * ({@code chk-000042/}) holding its private files and its {@code _metadata}, and one {@code shared/} directory for
 * files that several checkpoints name. The layout and guarantees are in the package documentation.
 *
 * <p>Durability relies on POSIX semantics: fsync of files and directories, atomic rename within a directory.
 *
 * <p>Threading: thread-safe. {@link #begin}, {@link #discard} and {@link #deleteTornAndUnreferenced} synchronize on
 * this object (briefly, except the sweep); writing files happens outside any storage lock.
 */
public final class FileSystemCheckpointStorage implements CheckpointStorage {
    private static final Logger LOG = LoggerFactory.getLogger(FileSystemCheckpointStorage.class);

    private final Path root;
    private final Path sharedDir;
    private final FileChannelOpener opener;
    // guarded by this
    private final Set<Long> writing = new HashSet<>();

    /** Storage in {@code root}, which is created if absent. */
    public FileSystemCheckpointStorage(Path root) throws IOException {
        this(root, FileChannelOpener.CREATE_NEW);
    }

    FileSystemCheckpointStorage(Path root, FileChannelOpener opener) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.sharedDir = this.root.resolve(FileSystemLayout.SHARED_DIR);
        this.opener = opener;
        Files.createDirectories(sharedDir);
    }

    /**
     * Opens the complete checkpoint at {@code path} ({@code --from-checkpoint PATH}): a checkpoint directory or its
     * {@code _metadata} file. Shared files are looked up in {@code shared/} beside the checkpoint directory. If the
     * directory is named {@code chk-N}, the metadata must name checkpoint N. Nothing is created or deleted.
     *
     * @throws CheckpointNotFoundException if there is no metadata file at {@code path}
     * @throws CorruptCheckpointException  if the metadata is unreadable or fails its checksum
     */
    public static CompletedCheckpoint openPath(Path path) throws IOException {
        Path p = path.toAbsolutePath().normalize();
        Path dir = !Files.isDirectory(p) && p.getFileName() != null
                && p.getFileName().toString().equals(FileSystemLayout.METADATA) ? p.getParent() : p;
        Path parent = dir.getParent();
        if (parent == null || dir.getFileName() == null) {
            throw new CheckpointNotFoundException(-1, dir.toString());
        }
        long id = FileSystemLayout.parseCheckpointId(dir.getFileName().toString());
        return read(dir, id, parent.resolve(FileSystemLayout.SHARED_DIR));
    }

    /** The root directory. */
    public Path root() {
        return root;
    }

    /** The directory of checkpoint {@code checkpointId}, whether or not it exists. */
    public Path checkpointDirectory(long checkpointId) {
        return root.resolve(FileSystemLayout.checkpointDirName(checkpointId));
    }

    /** The directory of shared files. */
    public Path sharedDirectory() {
        return sharedDir;
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public synchronized CheckpointWriter begin(long checkpointId) throws IOException {
        if (checkpointId < 0) {
            throw new IllegalArgumentException("negative checkpoint id " + checkpointId);
        }
        if (writing.contains(checkpointId)) {
            throw new IllegalStateException("Checkpoint " + checkpointId + " is being written already");
        }
        Path dir = checkpointDirectory(checkpointId);
        if (Files.exists(dir.resolve(FileSystemLayout.METADATA), LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalStateException("Checkpoint " + checkpointId + " is already complete at " + dir);
        }
        try {
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                LOG.info("Deleting torn checkpoint {} at {} before writing it again", checkpointId, dir);
                FileSystemLayout.deleteRecursively(dir);
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CheckpointWriteException(checkpointId, dir.toString(), "cannot create the checkpoint directory", e);
        }
        writing.add(checkpointId);
        return new FileSystemCheckpointWriter(this, checkpointId, dir, sharedDir, opener, false);
    }

    @Override
    public CheckpointWriter participant(long checkpointId) throws IOException {
        if (checkpointId < 0) {
            throw new IllegalArgumentException("negative checkpoint id " + checkpointId);
        }
        Path dir = checkpointDirectory(checkpointId);
        try {
            Files.createDirectories(dir); // the coordinator created it before triggering; idempotent
        } catch (IOException e) {
            throw new CheckpointWriteException(checkpointId, dir.toString(), "cannot create the checkpoint directory", e);
        }
        return new FileSystemCheckpointWriter(this, checkpointId, dir, sharedDir, opener, true);
    }

    @Override
    public List<Long> completedCheckpointIds() throws IOException {
        List<Long> ids = new ArrayList<>();
        for (long id : checkpointIdsOnDisk()) {
            if (Files.exists(checkpointDirectory(id).resolve(FileSystemLayout.METADATA), LinkOption.NOFOLLOW_LINKS)) {
                ids.add(id);
            }
        }
        ids.sort(null);
        return ids;
    }

    @Override
    public CompletedCheckpoint open(long checkpointId) throws IOException {
        return read(checkpointDirectory(checkpointId), checkpointId, sharedDir);
    }

    @Override
    public void discard(long checkpointId, Collection<String> sharedFilesToDelete) throws IOException {
        synchronized (this) {
            if (writing.contains(checkpointId)) {
                throw new IllegalStateException("Checkpoint " + checkpointId + " is being written; abort it instead");
            }
        }
        Path dir = checkpointDirectory(checkpointId);
        Path metadata = dir.resolve(FileSystemLayout.METADATA);
        try {
            if (Files.deleteIfExists(metadata)) {
                FileSystemLayout.fsyncDirectory(dir);
            }
        } catch (IOException e) {
            throw new IOException("Cannot discard checkpoint " + checkpointId + ": deleting " + metadata
                    + " failed, so nothing else was deleted: " + e, e);
        }
        IOException failure = null;
        try {
            FileSystemLayout.deleteRecursively(dir);
        } catch (IOException e) {
            failure = new IOException("Checkpoint " + checkpointId + " discarded, but deleting " + dir + " failed: " + e, e);
        }
        for (String name : sharedFilesToDelete) {
            Path file = sharedDir.resolve(StateFileNames.requireValid(name));
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                IOException f = new IOException("Checkpoint " + checkpointId + " discarded, but deleting shared file "
                        + file + " failed: " + e, e);
                if (failure == null) {
                    failure = f;
                } else {
                    failure.addSuppressed(f);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        LOG.debug("Discarded checkpoint {} and {} shared files", checkpointId, sharedFilesToDelete.size());
    }

    @Override
    public synchronized void deleteTornAndUnreferenced(Set<String> sharedFilesInUse) throws IOException {
        if (!writing.isEmpty()) {
            throw new IllegalStateException("Cannot sweep " + root + " while checkpoints " + writing + " are being written");
        }
        for (long id : checkpointIdsOnDisk()) {
            Path dir = checkpointDirectory(id);
            if (!Files.exists(dir.resolve(FileSystemLayout.METADATA), LinkOption.NOFOLLOW_LINKS)) {
                LOG.info("Deleting torn checkpoint {} at {}", id, dir);
                FileSystemLayout.deleteRecursively(dir);
            }
        }
        List<Path> unreferenced = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(sharedDir)) {
            for (Path file : files) {
                if (!sharedFilesInUse.contains(file.getFileName().toString())) {
                    unreferenced.add(file);
                }
            }
        }
        for (Path file : unreferenced) {
            LOG.info("Deleting shared file {}, which no retained checkpoint names", file);
            FileSystemLayout.deleteRecursively(file);
        }
    }

    @Override
    public String toString() {
        return "FileSystemCheckpointStorage{" + root + "}";
    }

    synchronized void writerFinished(long checkpointId) {
        writing.remove(checkpointId);
    }

    CompletedCheckpoint completedCheckpoint(CheckpointMetadata metadata, Path dir) {
        return new CompletedCheckpoint(metadata, dir.toString(), new FileSystemStateFiles(dir, sharedDir));
    }

    /** Ids of the directories named like checkpoint directories (canonically), complete or not. */
    private List<Long> checkpointIdsOnDisk() throws IOException {
        List<Long> ids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, "chk-*")) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                long id = FileSystemLayout.parseCheckpointId(name);
                if (id >= 0 && name.equals(FileSystemLayout.checkpointDirName(id))
                        && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    private static CompletedCheckpoint read(Path dir, long expectedId, Path sharedDir) throws IOException {
        Path file = dir.resolve(FileSystemLayout.METADATA);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CheckpointNotFoundException(expectedId, dir.toString());
        } catch (IOException e) {
            throw new CorruptCheckpointException(expectedId, dir.toString(), file.toString(), "unreadable: " + e, e);
        }
        CheckpointMetadata metadata = MetadataFormat.decode(bytes, expectedId, dir.toString(), file.toString());
        return new CompletedCheckpoint(metadata, dir.toString(), new FileSystemStateFiles(dir, sharedDir));
    }
}
