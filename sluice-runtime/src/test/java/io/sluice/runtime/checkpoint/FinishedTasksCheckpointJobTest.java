package io.sluice.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobClient;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.graph.RestartStrategy;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.sink.Sink;
import io.sluice.api.sink.SinkContext;
import io.sluice.api.sink.SinkWriter;
import io.sluice.api.source.InputStatus;
import io.sluice.api.source.SequenceSource;
import io.sluice.api.source.Source;
import io.sluice.api.source.SourceOutput;
import io.sluice.api.source.SourceReader;
import io.sluice.api.source.SourceReaderContext;
import io.sluice.api.source.SourceSplit;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint that completes after the keyed task finished records that task's operators as finished, so restoring
 * it restores every operator (a neighbour of issue 12). Before 2f723ca, checkpoints taken after a task finished
 * recorded only finished sources: the keyed operator's state was simply absent, and the strict restore of such a
 * checkpoint fails ("holds no state of keyed operator"); earlier still, it restored the keyed operator empty.
 *
 * <p>The job has two pipelines: numbers (one subtask, bounded) summed per key by two keyed subtasks, and a keeper
 * source that emits nothing and keeps the job and its checkpoints going. The numbers reader, once its input ended,
 * holds its close until a checkpoint newer than every one it took has begun (its directory appears), so that checkpoint
 * completes while the sources end, without the numbers source or the keyed subtasks ever taking it. The test reads that
 * checkpoint, then fails the keeper once: the restart restores the newest checkpoint as one of this execution (strict),
 * and the sums equal the plain-Java sums, each key once.
 */
@Timeout(60)
class FinishedTasksCheckpointJobTest {
    private static final long N = 10_000;
    /** Slow enough for a few checkpoints to be taken with the keyed subtasks' state before the input ends. */
    private static final double RATE = 20_000;
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** Whether the numbers reader holds its close (the first run's only). */
    private static final AtomicBoolean HOLD_CLOSE = new AtomicBoolean();
    /** The checkpoint the held close saw begin, 0 until then. */
    private static final AtomicLong HELD_FOR = new AtomicLong();
    /** Set by the test: the keeper throws at its next poll, once. */
    private static final AtomicBoolean FAIL_KEEPER = new AtomicBoolean();
    /** Whether the keeper threw: then (in the restarted run) it ends. */
    private static final AtomicBoolean KEEPER_FAILED = new AtomicBoolean();
    /** The sums, from every run. */
    private static final List<String> OUTPUT = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    @AfterEach
    void reset() {
        HOLD_CLOSE.set(true);
        HELD_FOR.set(0);
        FAIL_KEEPER.set(false);
        KEEPER_FAILED.set(false);
        OUTPUT.clear();
    }

    /** A bounded source of numbers: the job's two sources differ in their splits and readers only. */
    interface BoundedLongs<S extends SourceSplit> extends Source<Long, S> {
        @Override
        default TypeSerializer<Long> outputType() {
            return Types.LONG;
        }

        @Override
        default boolean isBounded() {
            return true;
        }
    }

    /**
     * The numbers 1..n ({@link SequenceSource}, at most {@code rate} a second), whose reader knows the newest
     * checkpoint it took part in (one at a time: the directory of the checkpoint being taken is the newest) and, in the
     * first run, closes only once a newer one has begun.
     */
    record NumbersClosingLate(long n, double rate, String checkpoints) implements BoundedLongs<SequenceSource.Split> {
        @Override
        public List<SequenceSource.Split> createSplits(int parallelism) {
            return new SequenceSource(1, n, 0).createSplits(parallelism);
        }

        @Override
        public SourceReader<Long, SequenceSource.Split> createReader(SourceReaderContext context) {
            SourceReader<Long, SequenceSource.Split> numbers = new SequenceSource(1, n, rate).createReader(context);
            Path root = Path.of(checkpoints);
            return new SourceReader<>() {
                private long lastTaken;

                @Override
                public void addSplits(List<SequenceSource.Split> splits) throws Exception {
                    numbers.addSplits(splits);
                }

                @Override
                public InputStatus pollNext(SourceOutput<Long> output) throws Exception {
                    return numbers.pollNext(output);
                }

                @Override
                public List<SequenceSource.Split> snapshotSplits() {
                    lastTaken = CheckpointWatch.newestBegun(root); // called while this task takes that checkpoint
                    return numbers.snapshotSplits();
                }

                @Override
                public void close() throws Exception {
                    if (HOLD_CLOSE.compareAndSet(true, false)) {
                        long taken = lastTaken;
                        long begun = CheckpointWatch.awaitAtLeast(() -> CheckpointWatch.newestBegun(root), taken + 1,
                                WAIT);
                        if (begun > taken) {
                            HELD_FOR.set(begun);
                        }
                    }
                    numbers.close();
                }
            };
        }
    }

    /** One split, nothing to emit: waits until told to fail, once; in the run after that failure, it ends. */
    static final class Keeper implements BoundedLongs<Keeper.Split> {
        record Split(String splitId) implements SourceSplit {}

        @Override
        public List<Split> createSplits(int parallelism) {
            return List.of(new Split("keeper"));
        }

        @Override
        public SourceReader<Long, Split> createReader(SourceReaderContext context) {
            List<Split> splits = new ArrayList<>();
            return new SourceReader<>() {
                @Override
                public void addSplits(List<Split> added) {
                    splits.addAll(added);
                }

                @Override
                public InputStatus pollNext(SourceOutput<Long> output) {
                    if (FAIL_KEEPER.compareAndSet(true, false)) {
                        KEEPER_FAILED.set(true);
                        throw new IllegalStateException("injected failure of the keeper");
                    }
                    return KEEPER_FAILED.get() ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
                }

                @Override
                public long nanosUntilAvailable() {
                    return TimeUnit.MILLISECONDS.toNanos(5);
                }

                @Override
                public List<Split> snapshotSplits() {
                    return List.copyOf(splits);
                }
            };
        }
    }

    /** Adds every record to {@link #OUTPUT}, in every run. */
    static final class IntoOutput implements Sink<String> {
        @Override
        public SinkWriter<String> createWriter(SinkContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(String record) {
                    OUTPUT.add(record);
                }

                @Override
                public void close() {}
            };
        }
    }

    /**
     * The checkpoint that begins while the numbers source closes completes with every operator subtask of the job
     * (numbers as a finished source, the sums and their sink as finished operators, the keeper acknowledged), and the
     * restart that restores the newest checkpoint strictly succeeds with the plain-Java sums, each key once.
     */
    @Test
    void aCheckpointCompletingAfterTheKeyedTaskFinishedHoldsEveryOperatorAndRestores(@TempDir Path dir)
            throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2)
                .enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(20)).withDirectory(checkpoints.toString())
                        .withRetained(1_000)) // none is deleted before the test read it
                .setRestartStrategy(RestartStrategy.fixedDelay(1, Duration.ofMillis(10)));
        env.fromSource(new NumbersClosingLate(N, RATE, checkpoints.toString()), "Numbers").uid("numbers")
                .setParallelism(1)
                .keyBy(v -> v % SumPerKey.KEYS)
                .process(new SumPerKey(), Types.STRING).name("Sum").uid("sum")
                .sinkTo(new IntoOutput()).uid("collect");
        CollectSink<Long> kept = new CollectSink<>();
        env.fromSource(new Keeper(), "Keeper").uid("keeper").setParallelism(1)
                .sinkTo(kept).uid("keeper-sink").setParallelism(1);
        JobClient client = env.executeAsync("finished tasks");
        try {
            long heldFor = CheckpointWatch.awaitAtLeast(HELD_FOR::get, 1, WAIT);
            assertTrue(heldFor > 0, "a checkpoint began while the numbers source was closing");
            long completed = CheckpointWatch.awaitAtLeast(() -> CheckpointWatch.completedOrZero(checkpoints, heldFor),
                    heldFor, WAIT);
            assertEquals(heldFor, completed, "checkpoint " + heldFor + " completed");
            RestoredState state = RestoredState.load(new FileSystemCheckpointStorage(checkpoints).open(heldFor));
            Map<String, List<Integer>> subtasks = new TreeMap<>();
            for (String uid : List.of("numbers", "sum", "collect", "keeper", "keeper-sink")) {
                subtasks.put(uid, state.of(uid).stream().map(OperatorSubtaskState::subtask).toList());
            }

            FAIL_KEEPER.set(true);
            JobExecutionException outcome = outcomeOf(client);
            assertAll(
                    () -> assertEquals(Map.of("numbers", List.of(0), "sum", List.of(0, 1), "collect", List.of(0, 1),
                            "keeper", List.of(0), "keeper-sink", List.of(0)), subtasks,
                            "operator subtasks in checkpoint " + heldFor),
                    () -> assertNull(outcome, () -> "the restart restored the newest checkpoint: "
                            + outcome.getMessage()),
                    () -> assertTrue(KEEPER_FAILED.get(), "the keeper failed the first run"),
                    () -> assertEquals(SumPerKey.oracle(N), SumPerKey.parse(OUTPUT)));
        } finally {
            client.cancel(); // ends the job whatever failed above (nothing to do once it ended)
            outcomeOf(client);
            kept.clear();
        }
    }

    /** Waits for the job's end: {@code null} if it finished, else why not. */
    private static JobExecutionException outcomeOf(JobClient client) throws InterruptedException {
        try {
            client.await();
            return null;
        } catch (JobExecutionException e) {
            return e;
        }
    }
}
