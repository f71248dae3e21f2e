package io.sluice.connectors.file;

import io.sluice.api.source.Source;
import io.sluice.api.source.SourceReader;
import io.sluice.api.source.EnumeratorCheckpoint;
import io.sluice.api.source.SourceReaderContext;
import io.sluice.api.source.SplitEnumerator;
import io.sluice.api.source.SplitEnumeratorContext;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads UTF-8 text files line by line: one file, or every file under a directory (recursively, in name order,
 * skipping names that start with {@code .} or {@code _}, as in-progress files do). Files are cut into byte ranges
 * read in parallel; a line belongs to the range where it starts. Line ends are {@code \n} or {@code \r\n};
 * they are not part of the line.
 *
 * <p>Readers ask for one split at a time ({@link FileSplitEnumerator}), so the work follows the faster readers.
 *
 * <p>Malformed UTF-8 fails the job with the file and byte offset of the line.
 */
public final class TextFileSource implements Source<String, FileSplit> {
    private static final long MIN_SPLIT_BYTES = 64 * 1024;

    private final String path;
    private final long maxSplitBytes;

    public TextFileSource(String path) {
        this(path, 32L * 1024 * 1024);
    }

    /** @param maxSplitBytes the largest range one split covers */
    public TextFileSource(String path, long maxSplitBytes) {
        if (maxSplitBytes < 1) {
            throw new IllegalArgumentException("maxSplitBytes must be at least 1, was " + maxSplitBytes);
        }
        this.path = path;
        this.maxSplitBytes = maxSplitBytes;
    }

    @Override
    public TypeSerializer<String> outputType() {
        return Types.STRING;
    }

    @Override
    public boolean isBounded() {
        return true;
    }

    @Override
    public List<FileSplit> createSplits(int parallelism) throws IOException {
        List<Path> files = listFiles(Path.of(path));
        long total = 0;
        for (Path f : files) {
            total += Files.size(f);
        }
        long target = Math.min(maxSplitBytes, Math.max(MIN_SPLIT_BYTES, (total + parallelism - 1) / parallelism));
        List<FileSplit> splits = new ArrayList<>();
        for (Path f : files) {
            long size = Files.size(f);
            for (long start = 0; start < size; start += target) {
                splits.add(new FileSplit(f.toString(), start, Math.min(size, start + target), start == 0));
            }
        }
        return splits;
    }

    static List<Path> listFiles(Path root) throws IOException {
        if (!Files.exists(root)) {
            throw new NoSuchFileException(root.toString(), null, "input path does not exist");
        }
        if (!Files.isReadable(root)) {
            throw new IOException("input path is not readable: " + root);
        }
        if (Files.isRegularFile(root)) {
            return List.of(root);
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !hidden(root, p))
                    .sorted()
                    .toList();
        }
    }

    private static boolean hidden(Path root, Path p) {
        for (Path part : root.relativize(p)) {
            String name = part.toString();
            if (name.startsWith(".") || name.startsWith("_")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public SourceReader<String, FileSplit> createReader(SourceReaderContext context) {
        return new TextLineReader(context);
    }

    /** Splits are handed out on request ({@link FileSplitEnumerator}); bad configuration fails here. */
    @Override
    public SplitEnumerator<FileSplit> createEnumerator(SplitEnumeratorContext<FileSplit> context) throws IOException {
        return new FileSplitEnumerator(context, createSplits(context.parallelism()));
    }

    @Override
    public SplitEnumerator<FileSplit> restoreEnumerator(SplitEnumeratorContext<FileSplit> context,
            EnumeratorCheckpoint<FileSplit> checkpoint) {
        return new FileSplitEnumerator(context, checkpoint.unassigned());
    }
}
