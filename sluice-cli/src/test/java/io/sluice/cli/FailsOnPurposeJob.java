package io.sluice.cli;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.functions.MapFunction;
import io.sluice.api.sink.DiscardingSink;
import io.sluice.api.source.SequenceSource;
import io.sluice.api.types.Types;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A job whose task fails on purpose a known number of times, for counting restarts on a cluster
 * ({@code run io.sluice.cli.FailsOnPurposeJob --markers DIR --failures N --release FILE [job options] --cluster ...}):
 * a sequence of {@link #RECORDS} numbers at 2,000/s (a {@link HeldSource}: it does not end before {@code FILE} exists)
 * through a map that throws at number {@link #FAIL_AT} as long as {@code DIR} holds fewer than {@code N} marker files,
 * leaving one more there each time, into a discarding sink. The markers, not the process, count the failures, so the
 * count holds across restarts, class loaders and workers; so exactly {@code N} failures happen (one task sees
 * {@link #FAIL_AT} per attempt, and nothing after it is checkpointed before it failed), each followed by a restart.
 */
public final class FailsOnPurposeJob {
    static final long RECORDS = 20_000;
    static final long FAIL_AT = 1_000;
    static final String MAP = "fails on purpose";

    private FailsOnPurposeJob() {}

    public static void main(String[] args) throws Exception {
        String markers = MainArgs.value(args, "--markers");
        int failures = Integer.parseInt(MainArgs.value(args, "--failures"));
        Path release = Path.of(MainArgs.value(args, "--release"));
        StreamEnvironment env = StreamEnvironment.create();
        env.fromSource(new HeldSource<>(new SequenceSource(0, RECORDS - 1, 2_000), release), "numbers")
                .map(new FailsAtOneNumber(markers, failures), Types.LONG).name(MAP)
                .sinkTo(new DiscardingSink<>()).name("discard");
        env.execute("fails on purpose");
    }

    /** The marker files in {@code dir}: one per failure so far. */
    static long markers(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    /** Throws at {@link #FAIL_AT} while fewer than {@code failures} markers exist, leaving one more first. */
    private static final class FailsAtOneNumber implements MapFunction<Long, Long> {
        private final String markers;
        private final int failures;

        FailsAtOneNumber(String markers, int failures) {
            this.markers = markers;
            this.failures = failures;
        }

        @Override
        public Long map(Long value) throws IOException {
            if (value == FAIL_AT) {
                Path dir = Path.of(markers);
                long before = markers(dir);
                if (before < failures) {
                    Files.createFile(dir.resolve("failure-" + before));
                    throw new IllegalStateException("injected failure " + (before + 1) + " of " + failures);
                }
            }
            return value;
        }
    }
}
