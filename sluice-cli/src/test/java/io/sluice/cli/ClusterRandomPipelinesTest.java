package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.sink.CollectSink;
import io.sluice.runtime.job.RandomPipelineTest;
import io.sluice.runtime.window.WindowRandomJobTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The random jobs that run on the embedded cluster ({@link RandomPipelineTest}: every partitioning, keyed state,
 * timers, broadcast; {@link WindowRandomJobTest}: event-time windows of every kind, window functions, a late-data side
 * output) run on a cluster of a coordinator and three worker processes with their tasks spread over the workers, and
 * give the oracle's results. Every process is killed on every path.
 */
class ClusterRandomPipelinesTest {
    private static final int SEEDS = 16;
    /** Every window kind at each parallelism 1-4 (the seed picks both). */
    private static final int WINDOW_SEEDS = 12;

    @Test
    @Timeout(300)
    void randomPipelinesOnThreeWorkersGiveTheOraclesResults(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("cluster");
        try (LocalClusters clusters = new LocalClusters()) {
            clusters.start(dir, "--workers", "3", "--slots", "2", "--placement", "tasks");
            for (long seed = 1; seed <= SEEDS; seed++) {
                Path out = tmp.resolve("out-" + seed).toAbsolutePath();
                RandomPipelineTest.Pipeline pipeline = RandomPipelineTest.define(seed, StreamEnvironment.create(),
                        new CollectSink<>(), false); // its oracle only: nothing runs here
                int exit = Main.execute("run", RandomPipelineMain.class.getName(), "--cluster", dir.toString(),
                        "--progress-interval", "0", Long.toString(seed), out.toString());
                assertEquals(0, exit, pipeline.description());
                assertEquals(sorted(pipeline.expected()), sorted(read(out)), pipeline.description());
            }
        }
    }

    @Test
    @Timeout(300)
    void randomWindowedJobsOnThreeWorkersGiveTheOraclesResults(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("cluster");
        try (LocalClusters clusters = new LocalClusters()) {
            clusters.start(dir, "--workers", "3", "--slots", "2", "--placement", "tasks");
            for (long seed = 1; seed <= WINDOW_SEEDS; seed++) {
                Path out = tmp.resolve("windows-" + seed).toAbsolutePath();
                Path late = tmp.resolve("late-" + seed).toAbsolutePath();
                WindowRandomJobTest.Windowed job = WindowRandomJobTest.define(seed, StreamEnvironment.create(),
                        new CollectSink<>(), new CollectSink<>(), false); // its oracle only
                int exit = Main.execute("run", RandomWindowsMain.class.getName(), "--cluster", dir.toString(),
                        "--progress-interval", "0", Long.toString(seed), out.toString(), late.toString());
                assertEquals(0, exit, job.setup());
                List<String> expected = new ArrayList<>(job.expected());
                List<String> actual = lines(out);
                expected.sort(null);
                actual.sort(null);
                assertEquals(expected, actual, job.setup());
                assertEquals(List.of(), lines(late), job.setup() + ": late records");
            }
        }
    }

    /** The lines written: one file for a sink of parallelism 1, else a directory of part files. */
    private static List<Long> read(Path out) throws IOException {
        return lines(out).stream().map(Long::parseLong).toList();
    }

    /** The lines of {@code out}: one file, or the part files of a directory (a sink of parallelism > 1). */
    static List<String> lines(Path out) throws IOException {
        List<String> lines = new ArrayList<>();
        if (!Files.exists(out)) {
            return lines;
        }
        List<Path> files;
        if (Files.isDirectory(out)) {
            try (Stream<Path> parts = Files.list(out)) {
                files = parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList();
            }
        } else {
            files = List.of(out);
        }
        for (Path f : files) {
            lines.addAll(Files.readAllLines(f));
        }
        return lines;
    }

    private static List<Long> sorted(List<Long> values) {
        List<Long> copy = new ArrayList<>(values);
        copy.sort(null);
        return copy;
    }
}
