package io.sluice.runtime.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobClient;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.MapFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.sink.Sink;
import io.sluice.api.sink.SinkContext;
import io.sluice.api.sink.SinkWriter;
import io.sluice.api.source.InputStatus;
import io.sluice.api.source.Source;
import io.sluice.api.source.SourceOutput;
import io.sluice.api.source.SourceReader;
import io.sluice.api.source.SourceReaderContext;
import io.sluice.api.source.SourceSplit;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import io.sluice.runtime.cluster.LocalExecutor;
import io.sluice.runtime.config.EngineConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A failure anywhere fails the whole job: {@code execute} throws with the operator and subtask named and the
 * original exception as cause, and every task thread ends, even threads blocked by backpressure.
 */
@Timeout(30)
class FailureTest {

    /** Fails unless every thread named {@code "sluice ..."} ends within 5 seconds. */
    static void assertNoSluiceThreadsRemain() throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<String> alive;
        do {
            alive = new ArrayList<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.isAlive() && t.getName().startsWith("sluice ")) {
                    alive.add(t.getName() + " " + t.getState());
                }
            }
            if (alive.isEmpty()) {
                return;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        fail("task threads still alive 5 s after the job failed: " + alive);
    }

    @AfterEach
    void noThreadsLeft() throws InterruptedException {
        assertNoSluiceThreadsRemain();
    }

    private static void assertFailure(JobExecutionException e, String operator, Class<? extends Throwable> causeType,
            String causeMessage) {
        String m = e.getMessage();
        assertTrue(m.contains("'" + operator + "'"), "names the operator: " + m);
        assertTrue(m.contains("subtask"), "names the subtask: " + m);
        Throwable cause = e.getCause();
        assertInstanceOf(causeType, cause, "the cause is the original exception: " + cause);
        assertEquals(causeMessage, cause.getMessage());
    }

    static final class ExplodeOn implements MapFunction<Long, Long> {
        private final long bad;

        ExplodeOn(long bad) {
            this.bad = bad;
        }

        @Override
        public Long map(Long value) {
            if (value == bad) {
                throw new IllegalStateException("boom at " + value);
            }
            return value;
        }
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {2, 4})
    void aFailingMapFailsTheJob(int parallelism) throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        env.generateSequence(1, 1_000_000).name("Numbers")
                .rebalance()
                .map(new ExplodeOn(12_345), Types.LONG).name("Explode")
                .sinkTo(new CollectSink<>()).name("Out");
        JobExecutionException e = assertThrows(JobExecutionException.class, () -> env.execute("explode-" + parallelism));
        assertFailure(e, "Explode", IllegalStateException.class, "boom at 12345");
        assertTrue(e.getMessage().contains("/" + parallelism), "subtask i/" + parallelism + ": " + e.getMessage());
        assertTrue(e.getMessage().contains("explode-" + parallelism), "names the job: " + e.getMessage());
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {2, 4})
    void aFailingChainedMapFailsTheJob(int parallelism) throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        env.generateSequence(1, 1_000_000).name("Numbers")
                .map(new ExplodeOn(777), Types.LONG).name("Explode")
                .map(v -> v + 1, Types.LONG).name("After")
                .sinkTo(new CollectSink<>()).name("Out");
        JobExecutionException e = assertThrows(JobExecutionException.class, () -> env.execute("explode-chained"));
        assertFailure(e, "Explode", IllegalStateException.class, "boom at 777");
    }

    /** Writes until the given record, then throws. */
    static final class FailingSink implements Sink<Long> {
        @Override
        public SinkWriter<Long> createWriter(SinkContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(Long record) throws IOException {
                    if (record == 50_000L) {
                        throw new IOException("disk full at " + record);
                    }
                }

                @Override
                public void close() {}
            };
        }
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {2, 4})
    void aFailingSinkFailsTheJob(int parallelism) throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        env.generateSequence(1, 1_000_000).name("Numbers")
                .shuffle()
                .sinkTo(new FailingSink()).name("Writer");
        JobExecutionException e = assertThrows(JobExecutionException.class, () -> env.execute("sink-fails"));
        assertFailure(e, "Writer", IOException.class, "disk full at 50000");
    }

    /** A split per subtask; subtask 1's reader throws after a few polls, the others emit forever. */
    static final class FailingSource implements Source<Long, FailingSource.Split> {
        record Split(String splitId, int subtask) implements SourceSplit {}

        @Override
        public TypeSerializer<Long> outputType() {
            return Types.LONG;
        }

        @Override
        public boolean isBounded() {
            return false;
        }

        @Override
        public List<Split> createSplits(int parallelism) {
            List<Split> splits = new ArrayList<>();
            for (int i = 0; i < parallelism; i++) {
                splits.add(new Split("s" + i, i));
            }
            return splits;
        }

        @Override
        public SourceReader<Long, Split> createReader(SourceReaderContext context) {
            int subtask = context.subtaskIndex();
            return new SourceReader<>() {
                long next;
                int polls;

                @Override
                public void addSplits(List<Split> splits) {}

                @Override
                public InputStatus pollNext(SourceOutput<Long> output) throws IOException {
                    if (subtask == 1 && ++polls == 20) {
                        throw new IOException("connection reset in subtask " + subtask);
                    }
                    for (int i = 0; i < 100; i++) {
                        output.collect(next++);
                    }
                    return InputStatus.MORE_AVAILABLE;
                }

                @Override
                public List<Split> snapshotSplits() {
                    return List.of();
                }

                @Override
                public void close() {}
            };
        }
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {2, 4})
    void aFailingSourceReaderFailsTheJob(int parallelism) throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        env.fromSource(new FailingSource(), "Reader")
                .rebalance()
                .map(v -> v, Types.LONG).name("Pass")
                .sinkTo(new CollectSink<>()).name("Out");
        JobExecutionException e = assertThrows(JobExecutionException.class, () -> env.execute("source-fails"));
        assertFailure(e, "Reader", IOException.class, "connection reset in subtask 1");
        assertTrue(e.getMessage().contains("subtask 2/" + parallelism), e.getMessage());
    }

    /** Registers a timer per key; the timer of key 3 throws. */
    static final class TimerBomb implements KeyedProcessFunction<Long, Long, Long> {
        @Override
        public void processElement(Long value, Context<Long> ctx, Collector<Long> out) {
            ctx.timerService().registerEventTimeTimer(1_000L + ctx.currentKey());
            out.collect(value);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext<Long> ctx, Collector<Long> out) {
            if (ctx.currentKey() == 3L) {
                throw new ArithmeticException("timer of key " + ctx.currentKey() + " at " + timestamp);
            }
            out.collect(-ctx.currentKey());
        }
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {2, 4})
    void aFailingTimerFailsTheJob(int parallelism) throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        env.generateSequence(1, 10_000).name("Numbers")
                .keyBy(v -> v % 10, Types.LONG)
                .process(new TimerBomb(), Types.LONG).name("TimerBomb")
                .sinkTo(new CollectSink<>()).name("Out");
        JobExecutionException e = assertThrows(JobExecutionException.class, () -> env.execute("timer-fails"));
        assertFailure(e, "TimerBomb", ArithmeticException.class, "timer of key 3 at 1003");
    }

    @Test
    void aFailingTimerInAChainFailsTheJob() throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(1);
        env.generateSequence(1, 10_000).name("Numbers")
                .keyBy(v -> v % 10, Types.LONG)
                .process(new TimerBomb(), Types.LONG).name("TimerBomb")
                .sinkTo(new CollectSink<>()).name("Out");
        JobExecutionException e = assertThrows(JobExecutionException.class, () -> env.execute("timer-fails-chained"));
        assertFailure(e, "TimerBomb", ArithmeticException.class, "timer of key 3 at 1003");
    }

    /** Set once the slow consumer has started; the failing consumer waits for it. */
    static final AtomicInteger SLOW_STARTED = new AtomicInteger();

    /**
     * Subtask 0 is very slow (its producer soon blocks on the full channel); subtask 1, on its first record, waits
     * until subtask 0 is busy and the producer has had time to fill both channels and block, then throws.
     */
    static final class SlowOrExplode implements MapFunction<Long, Long> {
        private int subtask;

        @Override
        public void open(RuntimeContext context) {
            subtask = context.subtaskIndex();
        }

        @Override
        public Long map(Long value) throws InterruptedException {
            if (subtask == 0) {
                SLOW_STARTED.incrementAndGet();
                Thread.sleep(20);
            } else {
                while (SLOW_STARTED.get() == 0) {
                    Thread.sleep(5);
                }
                Thread.sleep(200);
                throw new UnsupportedOperationException("fails while its producer is blocked");
            }
            return value;
        }
    }

    @Test
    void aFailureWhileAnotherTaskIsBlockedByBackpressureStopsEverything() throws Exception {
        SLOW_STARTED.set(0);
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2);
        env.setExecutor(new LocalExecutor(EngineConfig.defaults().withBatchSize(16).withChannelCapacity(2).withFlushIntervalMillis(1)));
        env.generateSequence(1, 10_000_000).name("Numbers").setParallelism(1)
                .rebalance()
                .map(new SlowOrExplode(), Types.LONG).name("SlowOrExplode")
                .sinkTo(new CollectSink<>()).name("Out");
        JobExecutionException e = assertThrows(JobExecutionException.class, () -> env.execute("blocked"));
        assertFailure(e, "SlowOrExplode", UnsupportedOperationException.class, "fails while its producer is blocked");
        assertTrue(e.getMessage().contains("subtask 2/2"), e.getMessage());
    }

    /** Takes 50 ms per record. */
    static final class VerySlowSink implements Sink<Long> {
        @Override
        public SinkWriter<Long> createWriter(SinkContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(Long record) throws InterruptedException {
                    SLOW_STARTED.incrementAndGet();
                    Thread.sleep(50);
                }

                @Override
                public void close() {}
            };
        }
    }

    @Test
    void aSlowSinkBehindAFailingBranchStopsToo() throws Exception {
        // two independent pipelines in one job: one blocked on a slow sink, the other failing
        SLOW_STARTED.set(0);
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2);
        env.setExecutor(new LocalExecutor(EngineConfig.defaults().withBatchSize(16).withChannelCapacity(2)));
        env.generateSequence(1, 10_000_000).name("Fast")
                .sinkTo(new VerySlowSink()).name("SlowSink").setParallelism(1);
        env.generateSequence(1, 10_000_000).name("Other")
                .map(v -> {
                    while (SLOW_STARTED.get() == 0) {
                        Thread.sleep(5);
                    }
                    Thread.sleep(200);
                    throw new IllegalArgumentException("other branch fails");
                }, Types.LONG).name("Failing")
                .sinkTo(new CollectSink<>()).name("Out");
        JobExecutionException e = assertThrows(JobExecutionException.class, () -> env.execute("two-branches"));
        assertFailure(e, "Failing", IllegalArgumentException.class, "other branch fails");
    }
    static final class FailsToOpen implements MapFunction<Long, Long> {
        @Override
        public void open(RuntimeContext context) {
            if (context.subtaskIndex() == context.parallelism() - 1) {
                throw new IllegalStateException("cannot open subtask " + context.subtaskIndex());
            }
        }

        @Override
        public Long map(Long value) {
            return value;
        }
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {2, 4})
    void aFunctionFailingToOpenFailsTheJob(int parallelism) throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        env.generateSequence(1, 1_000_000).name("Numbers")
                .rebalance()
                .map(new FailsToOpen(), Types.LONG).name("Opener")
                .sinkTo(new CollectSink<>()).name("Out");
        JobExecutionException e = assertThrows(JobExecutionException.class, () -> env.execute("open-fails"));
        assertFailure(e, "Opener", IllegalStateException.class, "cannot open subtask " + (parallelism - 1));
        assertTrue(e.getMessage().contains("subtask " + parallelism + "/" + parallelism), e.getMessage());
    }

    /** Fails when asked to make its output visible at the end of input. */
    static final class FailsToFinish implements Sink<Long> {
        @Override
        public SinkWriter<Long> createWriter(SinkContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(Long record) {}

                @Override
                public void finish() throws IOException {
                    throw new IOException("cannot commit");
                }

                @Override
                public void close() {}
            };
        }
    }

    @Test
    void aSinkFailingToFinishFailsTheJob() throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2);
        env.generateSequence(1, 1_000).name("Numbers").sinkTo(new FailsToFinish()).name("Committer");
        JobExecutionException e = assertThrows(JobExecutionException.class, () -> env.execute("finish-fails"));
        assertFailure(e, "Committer", IOException.class, "cannot commit");
    }

    @Test
    void aFailingKeySelectorFailsTheJob() throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2);
        env.generateSequence(1, 100_000).name("Numbers")
                .keyBy(v -> {
                    if (v == 5_000L) {
                        throw new IllegalArgumentException("no key for " + v);
                    }
                    return v % 7;
                }, Types.LONG)
                .reduce(Long::sum).name("Sum")
                .sinkTo(new CollectSink<>()).name("Out");
        JobExecutionException e = assertThrows(JobExecutionException.class, () -> env.execute("key-fails"));
        assertTrue(e.getMessage().contains("Sum"), "names the keyed operator: " + e.getMessage());
        assertTrue(e.getMessage().contains("subtask"), e.getMessage());
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertEquals("no key for 5000", e.getCause().getMessage());
    }

    /** A source whose configuration is wrong: cutting it into splits fails. */
    static final class MisconfiguredSource implements Source<Long, FailingSource.Split> {
        @Override
        public TypeSerializer<Long> outputType() {
            return Types.LONG;
        }

        @Override
        public boolean isBounded() {
            return true;
        }

        @Override
        public List<FailingSource.Split> createSplits(int parallelism) throws IOException {
            throw new IOException("no such topic");
        }

        @Override
        public SourceReader<Long, FailingSource.Split> createReader(SourceReaderContext context) {
            throw new AssertionError("never called");
        }
    }

    @Test
    void aSourceThatCannotBeSplitFailsAtSubmission() {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2);
        env.fromSource(new MisconfiguredSource(), "Topic").sinkTo(new CollectSink<>());
        JobExecutionException e = assertThrows(JobExecutionException.class, () -> env.executeAsync("no-topic"));
        assertTrue(e.getMessage().contains("'Topic'") && e.getMessage().contains("no such topic"), e.getMessage());
    }
    /** Fails with an {@link Error}, as an {@code assert} or a runaway recursion in user code would. */
    static final class ErrorOn implements MapFunction<Long, Long> {
        private final long bad;

        ErrorOn(long bad) {
            this.bad = bad;
        }

        @Override
        public Long map(Long value) {
            if (value == bad) {
                throw new AssertionError("invariant broken at " + value);
            }
            return value;
        }
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void anErrorInAChainedFunctionNamesTheOperatorAndSubtask(int parallelism) throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        env.generateSequence(1, 100_000).name("Numbers")
                .map(v -> v, Types.LONG).name("Before")
                .map(new ErrorOn(4_321), Types.LONG).name("Asserting")
                .map(v -> v, Types.LONG).name("After")
                .sinkTo(new CollectSink<>()).name("Out");
        JobExecutionException e = assertThrows(JobExecutionException.class, () -> env.execute("error-chained"));
        assertFailure(e, "Asserting", AssertionError.class, "invariant broken at 4321");
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {2, 4})
    void anErrorInAChannelFedFunctionNamesTheOperatorAndSubtask(int parallelism) throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        env.generateSequence(1, 100_000).name("Numbers")
                .rebalance()
                .map(new ErrorOn(4_321), Types.LONG).name("Asserting")
                .sinkTo(new CollectSink<>()).name("Out");
        JobExecutionException e = assertThrows(JobExecutionException.class, () -> env.execute("error-head"));
        assertFailure(e, "Asserting", AssertionError.class, "invariant broken at 4321");
    }
    static final AtomicInteger OPENED = new AtomicInteger();
    static final AtomicInteger CLOSED = new AtomicInteger();
    static final AtomicInteger WRITERS_CREATED = new AtomicInteger();
    static final AtomicInteger WRITERS_FINISHED = new AtomicInteger();
    static final AtomicInteger WRITERS_CLOSED = new AtomicInteger();

    /** Counts opens and closes; subtask 0 throws on its 1,000th record. */
    static final class CountingExplode implements MapFunction<Long, Long> {
        private int subtask;
        private long seen;

        @Override
        public void open(RuntimeContext context) {
            OPENED.incrementAndGet();
            subtask = context.subtaskIndex();
        }

        @Override
        public Long map(Long value) {
            if (subtask == 0 && ++seen == 1_000) {
                throw new IllegalStateException("counted failure");
            }
            return value;
        }

        @Override
        public void close() {
            CLOSED.incrementAndGet();
        }
    }

    static final class CountingSink implements Sink<Long> {
        @Override
        public SinkWriter<Long> createWriter(SinkContext context) {
            WRITERS_CREATED.incrementAndGet();
            return new SinkWriter<>() {
                @Override
                public void write(Long record) {}

                @Override
                public void finish() {
                    WRITERS_FINISHED.incrementAndGet();
                }

                @Override
                public void close() {
                    WRITERS_CLOSED.incrementAndGet();
                }
            };
        }
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void afterAFailureEveryOpenedFunctionAndEverySinkWriterIsClosed(int parallelism) throws Exception {
        OPENED.set(0);
        CLOSED.set(0);
        WRITERS_CREATED.set(0);
        WRITERS_FINISHED.set(0);
        WRITERS_CLOSED.set(0);
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        env.generateSequence(1, 10_000_000).name("Numbers")
                .map(new CountingExplode(), Types.LONG).name("Counting")
                .rebalance()
                .sinkTo(new CountingSink()).name("Counted");
        JobExecutionException e = assertThrows(JobExecutionException.class, () -> env.execute("close-always"));
        assertFailure(e, "Counting", IllegalStateException.class, "counted failure");
        String where = "parallelism " + parallelism;
        assertEquals(parallelism, OPENED.get(), where);
        assertEquals(parallelism, CLOSED.get(), where + ": every opened function is closed");
        assertEquals(parallelism, WRITERS_CREATED.get(), where);
        assertEquals(parallelism, WRITERS_CLOSED.get(), where + ": every sink writer is closed");
        // the sinks cannot all have seen the end of their input: subtask 0 of the map never sends it
        assertTrue(WRITERS_FINISHED.get() < parallelism, where + ": " + WRITERS_FINISHED.get() + " writers finished");
    }
    /** A reader that waits for more input until it is interrupted (as a reader blocked on a socket would). */
    static final class WaitsUntilInterrupted implements Source<Long, FailingSource.Split> {
        @Override
        public TypeSerializer<Long> outputType() {
            return Types.LONG;
        }

        @Override
        public boolean isBounded() {
            return false;
        }

        @Override
        public List<FailingSource.Split> createSplits(int parallelism) {
            return List.of(new FailingSource.Split("only", 0));
        }

        @Override
        public SourceReader<Long, FailingSource.Split> createReader(SourceReaderContext context) {
            return new SourceReader<>() {
                @Override
                public void addSplits(List<FailingSource.Split> splits) {}

                @Override
                public InputStatus pollNext(SourceOutput<Long> output) throws InterruptedException {
                    new java.util.concurrent.CountDownLatch(1).await();
                    return InputStatus.MORE_AVAILABLE;
                }

                @Override
                public List<FailingSource.Split> snapshotSplits() {
                    return List.of();
                }

                @Override
                public void close() {}
            };
        }
    }

    static final class FailsToOpenAtOnce implements MapFunction<Long, Long> {
        @Override
        public void open(RuntimeContext context) {
            throw new IllegalStateException("fails while the job is still starting");
        }

        @Override
        public Long map(Long value) {
            return value;
        }
    }

    @Test
    void aFailureWhileTheJobIsStillStartingInterruptsTasksStartedBeforeIt() throws Exception {
        for (int round = 0; round < 20; round++) {
            StreamEnvironment env = StreamEnvironment.create().setParallelism(1);
            // started first: a task that only an interrupt ends
            env.fromSource(new WaitsUntilInterrupted(), "Waiting").sinkTo(new CollectSink<>()).name("WaitingOut");
            // started second: fails at once
            env.generateSequence(1, 10).name("Numbers").map(new FailsToOpenAtOnce(), Types.LONG).name("Early")
                    .sinkTo(new CollectSink<>()).name("EarlyOut");
            // many more tasks, so the job is still starting threads when the failure comes
            env.generateSequence(1, 10).name("More").setParallelism(32).sinkTo(new CollectSink<>()).name("MoreOut").setParallelism(32);
            JobClient client = env.executeAsync("early-failure-" + round);
            JobExecutionException e = assertThrows(JobExecutionException.class, client::await, "round " + round);
            assertFailure(e, "Early", IllegalStateException.class, "fails while the job is still starting");
        }
    }
}
