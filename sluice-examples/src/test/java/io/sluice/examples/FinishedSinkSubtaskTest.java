package io.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.RestartStrategy;
import io.sluice.api.functions.MapFunction;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.source.InputStatus;
import io.sluice.api.source.Source;
import io.sluice.api.source.SourceOutput;
import io.sluice.api.source.SourceReader;
import io.sluice.api.source.SourceReaderContext;
import io.sluice.api.source.SourceSplit;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import io.sluice.connectors.file.TransactionalFileSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One sink subtask finishes long before the other; checkpoints taken afterwards must still hold its last transactions,
 * so a later failure restores them (committed once) instead of aborting them (lost).
 */
class FinishedSinkSubtaskTest {
    private static final long SHORT = 100;
    private static final long LONG = 30_000;
    private static final AtomicInteger FAILURES_LEFT = new AtomicInteger();

    /** Split 0 is short, split 1 long and paced: subtask 0 ends at once, subtask 1 runs for about a second. */
    static final class UnevenSource implements Source<Long, UnevenSource.Split> {
        record Split(String splitId, long next, long end) implements SourceSplit {}

        @Override
        public TypeSerializer<Long> outputType() {
            return Types.LONG;
        }

        @Override
        public boolean isBounded() {
            return true;
        }

        @Override
        public List<Split> createSplits(int parallelism) {
            return List.of(new Split("short", 0, SHORT), new Split("long", SHORT, SHORT + LONG));
        }

        @Override
        public SourceReader<Long, Split> createReader(SourceReaderContext context) {
            return new SourceReader<>() {
                private final List<Split> splits = new ArrayList<>();
                private final long start = System.nanoTime();
                private long emitted;

                @Override
                public void addSplits(List<Split> added) {
                    splits.addAll(added);
                }

                @Override
                public InputStatus pollNext(SourceOutput<Long> output) {
                    if (splits.isEmpty()) {
                        return InputStatus.END_OF_INPUT;
                    }
                    if (emitted > (System.nanoTime() - start) / 1_000_000 * 30) { // 30 records per ms
                        return InputStatus.NOTHING_AVAILABLE;
                    }
                    Split s = splits.removeFirst();
                    long stop = Math.min(s.end(), s.next() + 100);
                    for (long v = s.next(); v < stop; v++) {
                        output.collect(v);
                        emitted++;
                    }
                    if (stop < s.end()) {
                        splits.addFirst(new Split(s.splitId(), stop, s.end()));
                    }
                    return splits.isEmpty() ? InputStatus.END_OF_INPUT : InputStatus.MORE_AVAILABLE;
                }

                @Override
                public List<Split> snapshotSplits() {
                    return List.copyOf(splits);
                }
            };
        }
    }

    /** Fails once, late in the long split: long after subtask 0 finished and several checkpoints completed. */
    static final class FailLate implements MapFunction<Long, String> {
        @Override
        public String map(Long v) {
            if (v == SHORT + LONG * 3 / 4 && FAILURES_LEFT.getAndDecrement() > 0) {
                throw new IllegalStateException("injected failure at " + v);
            }
            return Long.toString(v);
        }
    }

    @Test
    @Timeout(60)
    void aFailureAfterOneSinkSubtaskFinishedLosesNothingAndDuplicatesNothing(@TempDir Path tmp) throws Exception {
        FAILURES_LEFT.set(1);
        Path out = tmp.resolve("out");
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2)
                .enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(30)).withDirectory(tmp.resolve("ckp").toString()))
                .setRestartStrategy(RestartStrategy.fixedDelay(3, Duration.ofMillis(10)));
        env.fromSource(new UnevenSource(), "Uneven").uid("uneven")
                .map(new FailLate(), Types.STRING).uid("fail-late")
                .sinkTo(new TransactionalFileSink<>(out.toString())).uid("write");
        env.execute("finished sink subtask");
        assertTrue(FAILURES_LEFT.get() < 0, "the failure was injected");
        List<String> lines = TransactionalFileSink.readCommitted(out);
        TreeSet<Long> values = new TreeSet<>();
        for (String line : lines) {
            values.add(Long.parseLong(line));
        }
        assertEquals(SHORT + LONG, lines.size(), "committed lines (duplicates or losses)");
        assertEquals(SHORT + LONG, values.size(), "distinct values");
        assertEquals(0L, values.first());
        assertEquals(SHORT + LONG - 1, values.last());
        assertTrue(TransactionalFileSink.inProgressFiles(out).isEmpty(), "in-progress files left");
    }
}
