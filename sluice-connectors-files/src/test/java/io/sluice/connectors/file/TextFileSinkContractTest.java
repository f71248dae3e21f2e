package io.sluice.connectors.file;

import io.sluice.api.sink.Sink;
import io.sluice.testing.SinkContractTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/** The text file sink against the sink contract: each sink writes to a new path (a file, or a directory of parts). */
class TextFileSinkContractTest extends SinkContractTest<String> {
    @TempDir
    Path tmp;
    private Path path;
    private int sinks;

    @Override
    protected Sink<String> createSink() {
        path = tmp.resolve("out-" + sinks++);
        return new TextFileSink<>(path.toString());
    }

    @Override
    protected String record(String id) {
        return id;
    }

    /** The lines of the file, or of the visible {@code part-<n>} files of the directory (not the hidden ones). */
    @Override
    protected List<String> visibleRecords() throws IOException {
        if (Files.isRegularFile(path)) {
            return Files.readAllLines(path, StandardCharsets.UTF_8);
        }
        List<String> lines = new ArrayList<>();
        if (Files.isDirectory(path)) {
            try (Stream<Path> parts = Files.list(path)) {
                for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
                    lines.addAll(Files.readAllLines(part, StandardCharsets.UTF_8));
                }
            }
        }
        return lines;
    }
}
