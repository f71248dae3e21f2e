package io.sluice.connectors.file;

import io.sluice.api.source.Source;
import io.sluice.testing.SourceContractTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The source contract for {@link TextFileSource}: several files of distinct lines, cut into many small splits that
 * readers pull one at a time ({@link FileSplitEnumerator}).
 */
class TextFileSourceContractTest extends SourceContractTest<String> {
    private static Path dir;

    @BeforeAll
    static void writeFiles() throws IOException {
        dir = Files.createTempDirectory("sluice-source-contract-");
        for (int f = 0; f < 5; f++) {
            StringBuilder text = new StringBuilder();
            for (int line = 0; line < 400 + 150 * f; line++) {
                text.append("file ").append(f).append(" line ").append(line).append('\n');
            }
            Files.writeString(dir.resolve("part-" + f + ".txt"), text);
        }
    }

    @AfterAll
    static void deleteFiles() throws IOException {
        try (var files = Files.list(dir)) {
            files.forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        Files.delete(dir);
    }

    @Override
    protected Source<String, ?> source() {
        return new TextFileSource(dir.toString(), 700);
    }
}
