package io.sluice.runtime.checkpoint.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Names and file-system steps of the on-disk layout (see the package documentation): checkpoint directory names,
 * the metadata file names, fsync of a directory, recursive deletion.
 */
final class FileSystemLayout {
    static final String METADATA = "_metadata";
    static final String METADATA_TEMP = "_metadata.tmp";
    static final String SHARED_DIR = "shared";
    private static final String PREFIX = "chk-";

    private FileSystemLayout() {
    }

    /** {@code chk-000042}: six digits at least, so directory listings sort by id up to a million checkpoints. */
    static String checkpointDirName(long checkpointId) {
        return String.format("%s%06d", PREFIX, checkpointId);
    }

    /** The id of a checkpoint directory name, or {@code -1} if the name is not one. */
    static long parseCheckpointId(String dirName) {
        if (!dirName.startsWith(PREFIX) || dirName.length() == PREFIX.length() || dirName.length() > PREFIX.length() + 18) {
            return -1;
        }
        for (int i = PREFIX.length(); i < dirName.length(); i++) {
            char c = dirName.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        return Long.parseLong(dirName, PREFIX.length(), dirName.length(), 10);
    }

    /** Makes the entries of a directory (created, renamed or deleted files) durable. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Deletes a file or a directory tree; absent is fine. Does not follow symbolic links. */
    static void deleteRecursively(Path path) throws IOException {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(path)) {
                for (Path child : children) {
                    deleteRecursively(child);
                }
            } catch (NoSuchFileException e) {
                return;
            }
        }
        Files.deleteIfExists(path);
    }
}
