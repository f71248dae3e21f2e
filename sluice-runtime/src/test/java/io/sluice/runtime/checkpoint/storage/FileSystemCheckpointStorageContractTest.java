package io.sluice.runtime.checkpoint.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileSystemCheckpointStorage} against the checkpoint storage contract, in a temporary directory. */
class FileSystemCheckpointStorageContractTest extends CheckpointStorageContractTest {
    @TempDir
    Path root;

    @Override
    protected CheckpointStorage openStorage() throws IOException {
        return new FileSystemCheckpointStorage(root);
    }

    @Override
    protected void damage(long checkpointId, StateFileHandle file, Damage damage) throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        Path path = (file.scope() == StateFileHandle.Scope.PRIVATE ? storage.checkpointDirectory(checkpointId)
                : storage.sharedDirectory()).resolve(file.name());
        switch (damage) {
            case DELETE -> Files.delete(path);
            case TRUNCATE -> StorageTestSupport.truncate(path, file.size() / 2);
            case FLIP_A_BYTE -> StorageTestSupport.flipByte(path, file.size() / 3);
            case APPEND -> StorageTestSupport.append(path, new byte[] {42});
        }
    }

    @Override
    protected void damageMetadata(long checkpointId) throws IOException {
        Path metadata = new FileSystemCheckpointStorage(root).checkpointDirectory(checkpointId).resolve(FileSystemLayout.METADATA);
        StorageTestSupport.flipByte(metadata, Files.size(metadata) / 2);
    }

    @Override
    protected Set<String> sharedFiles() throws IOException {
        return StorageTestSupport.list(new FileSystemCheckpointStorage(root).sharedDirectory());
    }

    @Override
    protected boolean hasLeftovers(long checkpointId) throws IOException {
        return Files.exists(new FileSystemCheckpointStorage(root).checkpointDirectory(checkpointId));
    }
}
