package io.sluice.runtime.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.sink.SinkContext;
import io.sluice.api.sink.TwoPhaseCommitSink;
import io.sluice.api.types.Types;
import io.sluice.runtime.checkpoint.CheckpointWatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The call order and threading of {@link StreamOperator} as a real job makes them: numbers, keyed, through a
 * {@link KeyedProcessOperator} chained to a {@link TransactionalSinkOperator}, two subtasks, checkpoints every 10 ms.
 * The operators' calls are seen through what each passes on 1:1: the process operator's {@code open},
 * {@code processRecord}, event-time timers (in {@code processWatermark}) and {@code close} reach the function's
 * {@code open}, {@code processElement}, {@code onTimer}, {@code close}; the sink operator's {@code open},
 * {@code processRecord}, {@code snapshotState}, {@code notifyCheckpointComplete}, {@code endInput} reach the writer's
 * {@code recover}, {@code write}, {@code preCommit(id)}, {@code commit}, {@code preCommit(Long.MAX_VALUE)}.
 *
 * <p>Checked per subtask: open first, close last; records only in between; timers (registered at each record's value,
 * all due at the final watermark) after every record and before the end of input; barriers in increasing order; a
 * checkpoint's transaction committed only once that checkpoint is complete on disk; the head ends and closes before the
 * operator chained after it; every call of both operators on one task thread, never two calls of one operator at once.
 */
@Timeout(60)
class OperatorCallOrderJobTest {
    private static final long N = 4_000;
    /** Every call, in the order made, per subtask: "fn open", "sink write 17", ... */
    private static final Map<Integer, List<String>> CALLS = new ConcurrentHashMap<>();
    private static final Map<Integer, List<Thread>> THREADS = new ConcurrentHashMap<>();
    /** Calls of one operator running at once (must never exceed 1), per operator and subtask. */
    private static final Map<String, AtomicInteger> BUSY = new ConcurrentHashMap<>();
    private static final List<String> VIOLATIONS = Collections.synchronizedList(new ArrayList<>());

    @TempDir
    Path checkpoints;

    @AfterEach
    void reset() {
        CALLS.clear();
        THREADS.clear();
        BUSY.clear();
        VIOLATIONS.clear();
    }

    /** Records a call of {@code operator} ("fn" or "sink") on {@code subtask}; the returned closer ends it. */
    private static AutoCloseable enter(String operator, int subtask, String call) {
        CALLS.computeIfAbsent(subtask, s -> Collections.synchronizedList(new ArrayList<>())).add(operator + " " + call);
        THREADS.computeIfAbsent(subtask, s -> Collections.synchronizedList(new ArrayList<>())).add(Thread.currentThread());
        AtomicInteger busy = BUSY.computeIfAbsent(operator + subtask, k -> new AtomicInteger());
        if (busy.incrementAndGet() != 1) {
            VIOLATIONS.add(operator + " " + subtask + ": " + call + " while another call of the operator runs");
        }
        return busy::decrementAndGet;
    }

    /** Registers an event-time timer at each number; emits each number, and its negation when its timer fires. */
    static final class Recorder implements KeyedProcessFunction<Long, Long, Long> {
        private int subtask;

        @Override
        public void open(RuntimeContext context) throws Exception {
            subtask = context.subtaskIndex();
            enter("fn", subtask, "open").close();
        }

        @Override
        public void processElement(Long value, Context<Long> context, Collector<Long> out) throws Exception {
            try (AutoCloseable call = enter("fn", subtask, "element")) {
                context.timerService().registerEventTimeTimer(value);
                out.collect(value);
            }
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext<Long> context, Collector<Long> out) throws Exception {
            try (AutoCloseable call = enter("fn", subtask, "timer")) {
                out.collect(-timestamp);
            }
        }

        @Override
        public void close() throws Exception {
            enter("fn", subtask, "close").close();
        }
    }

    /** Transactions named after their checkpoint; a commit notes whether its checkpoint is complete on disk. */
    record RecordingSink(String checkpointDir) implements TwoPhaseCommitSink<Long, Long> {
        @Override
        public TransactionalWriter<Long, Long> createWriter(SinkContext context) {
            int subtask = context.subtaskIndex();
            return new TransactionalWriter<>() {
                @Override
                public void recover(List<Long> committedByCheckpoint) throws Exception {
                    enter("sink", subtask, "recover").close();
                }

                @Override
                public void write(Long record) throws Exception {
                    enter("sink", subtask, record < 0 ? "write timer" : "write element").close();
                }

                @Override
                public Long preCommit(long checkpointId) throws Exception {
                    enter("sink", subtask, "preCommit " + checkpointId).close();
                    return checkpointId;
                }

                @Override
                public void commit(Long checkpointId) throws Exception {
                    boolean complete = CheckpointWatch.completedOrZero(Path.of(checkpointDir), checkpointId) == checkpointId;
                    enter("sink", subtask, "commit " + checkpointId + (complete ? "" : " (not complete)")).close();
                }

                @Override
                public void close() throws Exception {
                    enter("sink", subtask, "close").close();
                }
            };
        }
    }

    @Test
    void aJobCallsEachOperatorInTheDocumentedOrderOnItsTaskThread() throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2)
                .enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(10)).withDirectory(checkpoints.toString())
                        .withRetained(10_000));
        env.generateSequence(1, N, 20_000).keyBy(v -> v % 16, Types.LONG).process(new Recorder(), Types.LONG)
                .sinkTo(new RecordingSink(checkpoints.toString()));
        env.execute("operator call order");

        assertEquals(List.of(), VIOLATIONS);
        long elements = 0;
        long preCommits = 0;
        for (int subtask = 0; subtask < 2; subtask++) {
            List<String> calls = List.copyOf(CALLS.get(subtask));
            String where = "subtask " + subtask;
            // The chain opens from its end: the sink first, then the function in front of it.
            assertEquals(List.of("sink recover", "fn open"), calls.subList(0, 2), where + ": open first");
            int lastElement = calls.lastIndexOf("fn element");
            int firstTimer = calls.indexOf("fn timer");
            int end = calls.indexOf("sink preCommit " + Long.MAX_VALUE);
            int fnClose = calls.indexOf("fn close");
            assertTrue(lastElement < firstTimer && firstTimer < end, where + ": records, then the timers of the final watermark, then the end of input");
            assertTrue(calls.lastIndexOf("fn timer") < end, where + ": no timer after the end of input");
            assertTrue(calls.lastIndexOf("sink write timer") < end, where + ": everything emitted at the end reached the sink before its end");
            assertTrue(end < fnClose, where + ": the operators close after the end of input");
            for (String call : calls.subList(fnClose + 1, calls.size() - 1)) {
                assertTrue(call.startsWith("sink commit "), where + ": after the task ended, only the job's last commits: " + call);
            }
            assertEquals("sink close", calls.getLast(), where + ": the writer closed last, at job success");
            long lastBarrier = 0;
            for (int i = 0; i < fnClose; i++) {
                String call = calls.get(i);
                if (call.startsWith("sink preCommit ") && i != end) {
                    long id = Long.parseLong(call.substring("sink preCommit ".length()));
                    assertTrue(id > lastBarrier, where + ": barriers in increasing order, " + id + " after " + lastBarrier);
                    lastBarrier = id;
                    preCommits++;
                } else if (call.startsWith("sink commit ")) {
                    assertTrue(!call.endsWith("(not complete)"), where + ": " + call + ", committed on a completion notice");
                    long id = Long.parseLong(call.substring("sink commit ".length()));
                    assertTrue(id <= lastBarrier, where + ": committed " + id + " before its barrier");
                }
            }
            elements += calls.stream().filter("fn element"::equals).count();
            assertEquals(calls.stream().filter("fn element"::equals).count(), calls.stream().filter("fn timer"::equals).count(),
                    where + ": a timer per record");
            // The task thread makes every call until the task ends; the job's last commits and close come after that.
            List<Thread> threads = List.copyOf(THREADS.get(subtask));
            Thread task = threads.getFirst();
            assertTrue(task.getName().startsWith("sluice "), where + ": a task thread, not " + task.getName());
            assertEquals(List.of(task), threads.subList(0, fnClose + 1).stream().distinct().toList(),
                    where + ": every call of both chained operators on one thread");
        }
        assertEquals(N, elements, "every record once");
        assertTrue(preCommits > 0, "checkpoints were taken while the job ran");
    }
}
