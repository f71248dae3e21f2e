package io.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.graph.RestartStrategy;
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
import io.sluice.testing.ExactlyOnceVerifier;
import io.sluice.testing.Tag;
import io.sluice.testing.Tagged;
import io.sluice.testing.Tagging;
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
 * so a later failure restores them (committed once) instead of aborting them (lost). The values are read through an
 * {@link ExactlyOnceVerifier}, which checks the committed lines' tags record by record too.
 */
class FinishedSinkSubtaskTest {
    private static final long SHORT = 100;
    private static final long LONG = 30_000;
    private static final AtomicInteger FAILURES_LEFT = new AtomicInteger();

    /**
     * Split 0 is short, split 1 long and paced: subtask 0 ends at once, subtask 1 runs for about a second. Each split
     * emits through its own split output.
     */
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
                    SourceOutput<Long> splitOutput = output.forSplit(s.splitId());
                    long stop = Math.min(s.end(), s.next() + 100);
                    for (long v = s.next(); v < stop; v++) {
                        splitOutput.collect(v);
                        emitted++;
                    }
                    if (stop < s.end()) {
                        splits.addFirst(new Split(s.splitId(), stop, s.end()));
                    } else {
                        output.releaseSplit(s.splitId());
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
        ExactlyOnceVerifier verifier = ExactlyOnceVerifier.open(tmp.resolve("ledger"));
        verifier.fromSource(env, new UnevenSource(), "Uneven").uid("uneven")
                .map(Tagging.map(new FailLate()), Tagged.type(Types.STRING)).uid("fail-late")
                .sinkTo(verifier.sink(new TransactionalFileSink<Tagged<String>>(out.toString()))).uid("write");
        env.execute("finished sink subtask");
        assertTrue(FAILURES_LEFT.get() < 0, "the failure was injected");
        List<String> lines = TransactionalFileSink.readCommitted(out);
        verifier.verify(lines.stream().map(Tag::fromLine).toList()).assertExactlyOnce();
        verifier.verify().assertExactlyOnce();
        TreeSet<Long> values = new TreeSet<>();
        for (String line : lines) {
            values.add(Long.parseLong(Tagged.valueText(line)));
        }
        assertEquals(SHORT + LONG, lines.size(), "committed lines (duplicates or losses)");
        assertEquals(SHORT + LONG, values.size(), "distinct values");
        assertEquals(0L, values.first());
        assertEquals(SHORT + LONG - 1, values.last());
        assertTrue(TransactionalFileSink.inProgressFiles(out).isEmpty(), "in-progress files left");
    }
}
