package io.sluice.connectors.file;

import io.sluice.api.sink.Sink;
import io.sluice.api.sink.SinkContext;
import io.sluice.api.sink.SinkWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes one line per record, UTF-8. With parallelism 1 the output is the file {@code path}; with more, {@code path}
 * is a directory holding {@code part-0}, {@code part-1}, ... Each subtask writes a hidden in-progress file and
 * renames it into place when its input has ended, so a failed job leaves no partial output under the final name.
 */
public final class TextFileSink<T> implements Sink<T> {

    /** Turns a record into its line (without line end). */
    @FunctionalInterface
    public interface Formatter<T> extends Serializable {
        String format(T record);
    }

    private final String path;
    private final Formatter<T> formatter;

    /** Writes each record's {@code toString()}. */
    public TextFileSink(String path) {
        this(path, String::valueOf);
    }

    public TextFileSink(String path, Formatter<T> formatter) {
        this.path = path;
        this.formatter = formatter;
    }

    @Override
    public SinkWriter<T> createWriter(SinkContext context) throws IOException {
        Path target = context.parallelism() == 1 ? Path.of(path) : Path.of(path, "part-" + context.subtaskIndex());
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path inProgress = dir.resolve("." + target.getFileName() + ".inprogress");
        BufferedWriter out = Files.newBufferedWriter(inProgress, StandardCharsets.UTF_8);
        return new SinkWriter<>() {
            private boolean finished;

            @Override
            public void write(T record) throws IOException {
                out.write(formatter.format(record));
                out.write('\n');
            }

            @Override
            public void finish() throws IOException {
                out.close();
                Files.move(inProgress, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                finished = true;
            }

            @Override
            public void close() throws IOException {
                out.close();
                if (!finished) {
                    Files.deleteIfExists(inProgress);
                }
            }
        };
    }
}
