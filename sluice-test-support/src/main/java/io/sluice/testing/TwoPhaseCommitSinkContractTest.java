package io.sluice.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.sink.SinkContext;
import io.sluice.api.sink.TwoPhaseCommitSink;
import io.sluice.runtime.state.operator.OperatorStateSnapshot;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link TwoPhaseCommitSink} (its Javadoc), checked for one sink as the runtime drives it: through
 * the runtime's own transactional sink operator ({@code TransactionalSinkRun}), with checkpoints, completion notices,
 * crashes and restores in between. What a reader of the sink's output sees ({@link #visibleRecords()}) is compared
 * with what the checkpoints covered:
 * <ul>
 *   <li>nothing is visible before the checkpoint whose barrier followed it completes, and then all of it is;</li>
 *   <li>one completion notice commits every earlier checkpoint's transactions;</li>
 *   <li>a transaction pre-committed by the checkpoint a run restores is committed by the restored run, exactly once,
 *       also when it had been committed before the crash, and also at another parallelism;</li>
 *   <li>transactions newer than the restored checkpoint are aborted: never visible;</li>
 *   <li>the end of input makes the last records visible only once the whole job succeeded;</li>
 *   <li>{@code commit} is idempotent;</li>
 *   <li>random sequences of all of these agree with a model of the checkpoints.</li>
 * </ul>
 *
 * <p>To run it against a sink of your own, extend this class in your tests (JUnit 5): create the sink over fresh
 * output, make records that carry a given id, and list the ids a reader sees. Randomized tests use fixed seeds, named in
 * every failure message.
 *
 * @param <R>  the sink's records
 * @param <TX> its transaction handles
 */
public abstract class TwoPhaseCommitSinkContractTest<R, TX extends Serializable> {
    private TwoPhaseCommitSink<R, TX> sink;
    private long nextCheckpoint = 1;

    /** The sink under test, writing to output no other test sees; called once per test. */
    protected abstract TwoPhaseCommitSink<R, TX> createSink() throws Exception;

    /** A record that carries {@code id} (a short string of letters, digits and dashes) to the output. */
    protected abstract R record(String id);

    /** The ids of the records a reader of the sink's output sees now, one per record, duplicates included. */
    protected abstract List<String> visibleRecords() throws Exception;

    @BeforeEach
    void createTheSink() throws Exception {
        sink = createSink();
    }

    private TransactionalSinkRun<R, TX> start(int parallelism) throws Exception {
        return new TransactionalSinkRun<>(sink, parallelism, List.of());
    }

    private TransactionalSinkRun<R, TX> restore(int parallelism, List<OperatorStateSnapshot> checkpoint) throws Exception {
        return new TransactionalSinkRun<>(sink, parallelism, checkpoint);
    }

    private void write(TransactionalSinkRun<R, TX> run, int subtask, String... ids) throws Exception {
        for (String id : ids) {
            run.write(subtask, record(id));
        }
    }

    private void assertVisible(String where, String... ids) throws Exception {
        List<String> visible = new ArrayList<>(visibleRecords());
        visible.sort(null);
        List<String> expected = new ArrayList<>(List.of(ids));
        expected.sort(null);
        assertEquals(expected, visible, where);
    }

    @Test
    public void nothingIsVisibleBeforeItsCheckpointCompletes() throws Exception {
        TransactionalSinkRun<R, TX> run = start(1);
        write(run, 0, "a", "b");
        assertVisible("written, no barrier yet");
        run.checkpoint(1);
        assertVisible("pre-committed by checkpoint 1, which has not completed");
        write(run, 0, "c");
        run.complete(1);
        assertVisible("checkpoint 1 completed", "a", "b");
        run.checkpoint(2);
        assertVisible("pre-committed by checkpoint 2", "a", "b");
        run.complete(2);
        assertVisible("checkpoint 2 completed", "a", "b", "c");
        run.crash();
    }

    @Test
    public void oneCompletionNoticeCommitsEveryEarlierCheckpoint() throws Exception {
        TransactionalSinkRun<R, TX> run = start(2);
        write(run, 0, "a");
        run.checkpoint(1);
        run.checkpoint(2); // nothing written in between
        write(run, 1, "b");
        write(run, 0, "c");
        run.checkpoint(3);
        write(run, 1, "d");
        run.complete(3);
        assertVisible("checkpoint 3 covers 1 and 2", "a", "b", "c");
        run.complete(2);
        run.complete(3);
        assertVisible("late and repeated notices commit nothing twice", "a", "b", "c");
        run.crash();
    }

    @Test
    public void aCheckpointsTransactionsAreCommittedByTheRunThatRestoresIt() throws Exception {
        TransactionalSinkRun<R, TX> first = start(1);
        write(first, 0, "a");
        List<OperatorStateSnapshot> checkpoint1 = first.checkpoint(1);
        write(first, 0, "b");
        first.crash(); // checkpoint 1 was complete, but no task heard of it
        assertVisible("crashed before the completion notice");

        TransactionalSinkRun<R, TX> second = restore(1, checkpoint1);
        assertVisible("restored from checkpoint 1", "a");
        write(second, 0, "c");
        second.checkpoint(2);
        second.complete(2);
        assertVisible("b was written after checkpoint 1: lost with the crash", "a", "c");
        second.crash();
    }

    @Test
    public void aTransactionCommittedBeforeTheCrashIsNotCommittedTwice() throws Exception {
        TransactionalSinkRun<R, TX> first = start(1);
        write(first, 0, "a", "b");
        List<OperatorStateSnapshot> checkpoint1 = first.checkpoint(1);
        first.complete(1);
        assertVisible("checkpoint 1 completed", "a", "b");
        first.crash();
        for (int attempt = 2; attempt <= 3; attempt++) {
            TransactionalSinkRun<R, TX> again = restore(1, checkpoint1);
            assertVisible("restored from checkpoint 1, attempt " + attempt, "a", "b");
            again.crash();
        }
    }

    @Test
    public void transactionsNewerThanTheRestoredCheckpointAreNeverVisible() throws Exception {
        TransactionalSinkRun<R, TX> first = start(1);
        write(first, 0, "a");
        List<OperatorStateSnapshot> checkpoint1 = first.checkpoint(1);
        write(first, 0, "b");
        first.checkpoint(2); // pre-committed, never completed
        write(first, 0, "c");
        first.crash();

        TransactionalSinkRun<R, TX> second = restore(1, checkpoint1);
        write(second, 0, "d");
        second.checkpoint(3);
        second.complete(3);
        write(second, 0, "e");
        second.endInput();
        second.jobSucceeded();
        assertVisible("b (checkpoint 2) and c (no checkpoint) were aborted", "a", "d", "e");
    }

    @Test
    public void theEndOfInputIsVisibleOnlyOnceTheJobSucceeded() throws Exception {
        TransactionalSinkRun<R, TX> run = start(2);
        write(run, 0, "a");
        write(run, 1, "b");
        run.checkpoint(1);
        write(run, 0, "c");
        run.endInput();
        assertVisible("input ended, the job not finished yet");
        run.jobSucceeded();
        assertVisible("the job finished", "a", "b", "c");
    }

    @Test
    public void restoredAtAnotherParallelismEveryTransactionIsCommittedOnce() throws Exception {
        for (int[] rescale : new int[][] {{2, 1}, {2, 3}, {3, 2}}) {
            createTheSink();
            int from = rescale[0];
            int to = rescale[1];
            TransactionalSinkRun<R, TX> first = start(from);
            List<String> expected = new ArrayList<>();
            for (int s = 0; s < from; s++) {
                String id = "from" + from + "-to" + to + "-s" + s;
                write(first, s, id);
                expected.add(id);
            }
            List<OperatorStateSnapshot> checkpoint = first.checkpoint(1);
            write(first, 0, "lost");
            first.crash();
            TransactionalSinkRun<R, TX> second = restore(to, checkpoint);
            second.endInput();
            second.jobSucceeded();
            assertVisible("rescaled " + from + " -> " + to, expected.toArray(String[]::new));
        }
    }

    /** The writer alone: a commit repeated has the effect of one; a pre-commit of nothing commits nothing. */
    @Test
    public void commitIsIdempotent() throws Exception {
        TwoPhaseCommitSink.TransactionalWriter<R, TX> writer = sink.createWriter(new Context(0, 1, "sink"));
        writer.recover(List.of());
        TX empty = writer.preCommit(1);
        if (empty != null) {
            writer.commit(empty);
        }
        assertVisible("a pre-commit with nothing written");
        writer.write(record("a"));
        TX transaction = writer.preCommit(2);
        writer.commit(transaction);
        writer.commit(transaction);
        assertVisible("committed twice", "a");
        writer.close();
    }

    /**
     * Random writes on random subtasks, checkpoints, completions (some of them never announced to the tasks) and
     * crashes with restores of the latest completed checkpoint, at a random parallelism. The model: a checkpoint covers
     * what its run wrote before its barrier plus what the checkpoint its run restored covered. What is visible is always
     * a set (no duplicates) within what the latest completed checkpoint covers, holds all of it once that checkpoint was
     * announced or restored, and at the job's end is exactly that plus the last run's records.
     */
    @Test
    public void randomCheckpointsCrashesAndRestoresAgreeWithAModel() throws Exception {
        for (long seed = 1; seed <= 5; seed++) {
            createTheSink();
            randomRun(seed);
        }
    }

    private void randomRun(long seed) throws Exception {
        Random random = new Random(seed);
        Set<String> restoredCovers = new TreeSet<>(); // what the checkpoint this run restored covered
        Set<String> writtenInRun = new TreeSet<>();
        List<OperatorStateSnapshot> latestCompleted = List.of();
        Set<String> latestCompletedCovers = new TreeSet<>();
        List<OperatorStateSnapshot> lastTaken = null;
        long lastTakenId = 0;
        Set<String> lastTakenCovers = null;
        TransactionalSinkRun<R, TX> run = start(1 + random.nextInt(3));
        int records = 0;
        for (int step = 0; step < 200; step++) {
            String where = "seed " + seed + " step " + step;
            int op = random.nextInt(100);
            if (op < 55) {
                String id = "s" + seed + "-r" + records++;
                run.write(random.nextInt(run.parallelism()), record(id));
                writtenInRun.add(id);
            } else if (op < 75) {
                lastTakenId = nextCheckpoint++;
                lastTaken = run.checkpoint(lastTakenId);
                lastTakenCovers = new TreeSet<>(restoredCovers);
                lastTakenCovers.addAll(writtenInRun);
            } else if (op < 92) {
                if (lastTaken != null) { // the latest checkpoint taken completes; the tasks may or may not hear of it
                    latestCompleted = lastTaken;
                    latestCompletedCovers = lastTakenCovers;
                    if (random.nextInt(4) > 0) {
                        run.complete(lastTakenId);
                        assertContainsAll(latestCompletedCovers, where + ": checkpoint " + lastTakenId + " announced");
                    }
                    lastTaken = null;
                }
            } else {
                run.crash();
                run = restore(1 + random.nextInt(3), latestCompleted);
                restoredCovers = new TreeSet<>(latestCompletedCovers);
                writtenInRun.clear();
                lastTaken = null;
                assertContainsAll(restoredCovers, where + ": restored at parallelism " + run.parallelism());
            }
            assertWithin(latestCompletedCovers, where);
        }
        run.endInput();
        run.jobSucceeded();
        Set<String> expected = new TreeSet<>(restoredCovers);
        expected.addAll(writtenInRun);
        assertVisible("seed " + seed + ": the job's end", expected.toArray(String[]::new));
    }

    /** Everything visible is distinct and within {@code covered}. */
    private void assertWithin(Set<String> covered, String where) throws Exception {
        List<String> visible = visibleRecords();
        Set<String> distinct = new HashSet<>(visible);
        assertEquals(distinct.size(), visible.size(), where + ": a record is visible twice: " + visible);
        distinct.removeAll(covered);
        assertTrue(distinct.isEmpty(), where + ": visible, yet no completed checkpoint covers it: " + distinct);
    }

    private void assertContainsAll(Set<String> covered, String where) throws Exception {
        Set<String> missing = new TreeSet<>(covered);
        visibleRecords().forEach(missing::remove);
        assertTrue(missing.isEmpty(), where + ": not visible although committed: " + missing);
    }

    /** Where a writer created by a test itself runs. */
    private record Context(int subtaskIndex, int parallelism, String operatorName) implements SinkContext {}
}
