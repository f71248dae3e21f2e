package io.sluice.runtime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobResult;
import io.sluice.api.functions.OutputTag;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.source.InputStatus;
import io.sluice.api.source.Source;
import io.sluice.api.source.SourceOutput;
import io.sluice.api.source.SourceReader;
import io.sluice.api.source.SourceReaderContext;
import io.sluice.api.source.SourceSplit;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the runtime gives a source reader besides its main output: each checkpoint's id with its snapshot, the
 * completion of checkpoints (only of completed ones, after their snapshot, ids increasing), and a side output.
 */
class SourceReaderCheckpointsJobTest {
    private static final Queue<Long> SNAPSHOTS = new ConcurrentLinkedQueue<>();
    private static final Queue<Long> COMPLETED = new ConcurrentLinkedQueue<>();
    private static final OutputTag<String> TENS = new OutputTag<>("tens", Types.STRING);

    record Part(String splitId, long next) implements SourceSplit {}

    /** The numbers 0..n-1, 10 per poll with a pause, multiples of 10 also to side output {@link #TENS}. */
    record SlowNumbers(long n) implements Source<Long, Part> {
        @Override
        public TypeSerializer<Long> outputType() {
            return Types.LONG;
        }

        @Override
        public boolean isBounded() {
            return true;
        }

        @Override
        public List<Part> createSplits(int parallelism) {
            return List.of(new Part("all", 0));
        }

        @Override
        public SourceReader<Long, Part> createReader(SourceReaderContext context) {
            return new SourceReader<>() {
                private final List<Part> parts = new ArrayList<>();

                @Override
                public void addSplits(List<Part> splits) {
                    parts.addAll(splits);
                }

                @Override
                public InputStatus pollNext(SourceOutput<Long> output) throws Exception {
                    if (parts.isEmpty()) {
                        return InputStatus.END_OF_INPUT;
                    }
                    Part p = parts.getFirst();
                    SourceOutput<Long> split = output.forSplit(p.splitId());
                    long next = p.next();
                    for (int i = 0; i < 10 && next < n; i++, next++) {
                        split.collect(next);
                        if (next % 10 == 0) {
                            split.output(TENS, "ten " + next);
                        }
                    }
                    parts.set(0, new Part(p.splitId(), next));
                    if (next >= n) {
                        parts.clear();
                        output.releaseSplit(p.splitId());
                        return InputStatus.END_OF_INPUT;
                    }
                    Thread.sleep(2);
                    return InputStatus.MORE_AVAILABLE;
                }

                @Override
                public List<Part> snapshotSplits() {
                    throw new AssertionError("the runtime passes the checkpoint id");
                }

                @Override
                public List<Part> snapshotSplits(long checkpointId) {
                    SNAPSHOTS.add(checkpointId);
                    return List.copyOf(parts);
                }

                @Override
                public void notifyCheckpointComplete(long checkpointId) {
                    assertTrue(SNAPSHOTS.contains(checkpointId), "completion of " + checkpointId
                            + " before its snapshot; snapshots " + SNAPSHOTS);
                    COMPLETED.add(checkpointId);
                }
            };
        }
    }

    @Test
    @Timeout(60)
    void readersHearOfCompletedCheckpointsAndEmitToSideOutputs(@TempDir Path dir) throws Exception {
        SNAPSHOTS.clear();
        COMPLETED.clear();
        long n = 6_000;
        StreamEnvironment env = StreamEnvironment.create().setParallelism(1)
                .enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(50)).withDirectory(dir.toString()));
        CollectSink<Long> main = new CollectSink<>();
        CollectSink<String> tens = new CollectSink<>();
        var numbers = env.fromSource(new SlowNumbers(n), "Numbers").uid("numbers");
        numbers.sinkTo(main).name("Main");
        numbers.getSideOutput(TENS).sinkTo(tens).name("Tens");
        JobResult result = env.execute("source checkpoints");

        assertEquals(n, main.results().size());
        List<String> expectedTens = new ArrayList<>();
        for (long i = 0; i < n; i += 10) {
            expectedTens.add("ten " + i);
        }
        assertEquals(expectedTens, tens.results());
        assertEquals(n / 10, result.operator("Tens").recordsIn());
        assertEquals(n + n / 10, result.operator("Numbers").recordsOut());

        List<Long> completed = List.copyOf(COMPLETED);
        assertTrue(completed.size() >= 2, "completions " + completed + ", snapshots " + SNAPSHOTS);
        for (int i = 1; i < completed.size(); i++) {
            assertTrue(completed.get(i) > completed.get(i - 1), "increasing: " + completed);
        }
        main.clear();
        tens.clear();
    }
}
