package io.sluice.runtime.checkpoint.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The files of one checkpoint on a file system: private ones in its directory, shared ones in {@code shared/}. */
final class FileSystemStateFiles implements StateFileSource {
    private final Path dir;
    private final Path sharedDir;

    FileSystemStateFiles(Path dir, Path sharedDir) {
        this.dir = dir;
        this.sharedDir = sharedDir;
    }

    @Override
    public String describe(StateFileHandle file) {
        return path(file).toString();
    }

    @Override
    public long size(StateFileHandle file) throws IOException {
        return Files.size(path(file));
    }

    @Override
    public ReadableByteChannel open(StateFileHandle file) throws IOException {
        return FileChannel.open(path(file), StandardOpenOption.READ);
    }

    private Path path(StateFileHandle file) {
        return (file.scope() == StateFileHandle.Scope.PRIVATE ? dir : sharedDir).resolve(file.name());
    }
}
