package io.sluice.runtime.checkpoint.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Creates the channel a new file is written through (state files and the temporary metadata file). The seam where
 * tests inject disk-full and I/O errors; production code uses {@link #CREATE_NEW}.
 */
@FunctionalInterface
interface FileChannelOpener {
    /** Creates {@code path}, which must not exist yet, for writing. */
    FileChannel createNew(Path path) throws IOException;

    FileChannelOpener CREATE_NEW = path -> FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
}
