package io.sluice.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.sink.Sink;
import io.sluice.api.sink.SinkWriter;
import io.sluice.runtime.operator.OperatorSetup;
import io.sluice.runtime.operator.SinkOperator;
import io.sluice.runtime.state.operator.OperatorStateStore;
import io.sluice.runtime.timer.ManualProcessingTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The contract of a plain {@link Sink} and its {@link SinkWriter} (their Javadoc), checked for one sink as the runtime
 * drives it, through the runtime's own sink operator: one writer per subtask; {@code write} any number of times,
 * {@code finish} once when the input ended, {@code close} always. After {@code finish} every record written is visible,
 * each subtask's in the order written; a failed run is closed without {@code finish} and may lose its output, but
 * never breaks the next run.
 *
 * <p>To run it against a sink of your own, extend this class in your tests (JUnit 5). For two-phase-commit sinks see
 * {@link TwoPhaseCommitSinkContractTest}.
 *
 * @param <R> the sink's records
 */
public abstract class SinkContractTest<R> {

    /** The sink under test, writing to output no other test sees; called once per run of a test. */
    protected abstract Sink<R> createSink() throws Exception;

    /** A record that carries {@code id} (a short string of letters, digits and dashes) to the output. */
    protected abstract R record(String id);

    /** The ids of the records a reader of the sink's output sees now, one per record. */
    protected abstract List<String> visibleRecords() throws Exception;

    /** Opens {@code parallelism} sink operators over writers of {@code sink}. */
    private List<SinkOperator<R>> open(Sink<R> sink, int parallelism) throws Exception {
        List<SinkOperator<R>> subtasks = new ArrayList<>();
        for (int i = 0; i < parallelism; i++) {
            SinkOperator<R> operator = new SinkOperator<>(sink);
            operator.open(new OperatorSetup("sink", i, parallelism, 128, new CollectingOutput().output, null,
                    new OperatorStateStore(), new ManualProcessingTime(0)));
            subtasks.add(operator);
        }
        return subtasks;
    }

    /** Writes {@code perSubtask} records on each subtask, interleaved at random; returns each subtask's ids in order. */
    private List<List<String>> writeSome(List<SinkOperator<R>> subtasks, String run, int perSubtask, Random random)
            throws Exception {
        List<List<String>> written = new ArrayList<>();
        subtasks.forEach(s -> written.add(new ArrayList<>()));
        for (int n = 0; n < perSubtask * subtasks.size(); n++) {
            int s = random.nextInt(subtasks.size());
            String id = run + "-s" + s + "-" + written.get(s).size();
            subtasks.get(s).processRecord(record(id), n);
            written.get(s).add(id);
        }
        return written;
    }

    private static void finish(List<? extends SinkOperator<?>> subtasks) throws Exception {
        for (SinkOperator<?> s : subtasks) {
            s.endInput();
            s.close();
        }
    }

    @Test
    public void afterTheEndOfInputEveryRecordIsVisibleInEachSubtasksOrder() throws Exception {
        for (int parallelism = 1; parallelism <= 3; parallelism++) {
            List<SinkOperator<R>> subtasks = open(createSink(), parallelism);
            List<List<String>> written = writeSome(subtasks, "p" + parallelism, 20, new Random(parallelism));
            finish(subtasks);
            List<String> visible = visibleRecords();
            List<String> all = new ArrayList<>();
            written.forEach(all::addAll);
            assertEquals(all.stream().sorted().toList(), visible.stream().sorted().toList(),
                    "parallelism " + parallelism + ": every record once");
            for (int s = 0; s < parallelism; s++) {
                String prefix = "p" + parallelism + "-s" + s + "-";
                assertEquals(written.get(s), visible.stream().filter(id -> id.startsWith(prefix)).toList(),
                        "parallelism " + parallelism + ": subtask " + s + "'s records in the order written");
            }
        }
    }

    @Test
    public void aRunClosedWithoutFinishingDoesNotBreakTheNextRun() throws Exception {
        Sink<R> sink = createSink();
        List<SinkOperator<R>> failed = open(sink, 2);
        List<List<String>> lost = writeSome(failed, "failed", 10, new Random(3));
        for (SinkOperator<R> s : failed) {
            s.close(); // a failure: no end of input
        }
        List<SinkOperator<R>> next = open(sink, 2);
        List<List<String>> written = writeSome(next, "next", 10, new Random(4));
        finish(next);
        List<String> visible = visibleRecords();
        List<String> expected = new ArrayList<>();
        written.forEach(expected::addAll);
        assertTrue(visible.containsAll(expected), "the next run's records are all visible: " + visible);
        List<String> allowed = new ArrayList<>(expected);
        lost.forEach(allowed::addAll);
        assertTrue(allowed.containsAll(visible), "nothing visible that was not written: " + visible);
        assertEquals(visible.size(), visible.stream().distinct().count(), "nothing visible twice: " + visible);
    }
}
