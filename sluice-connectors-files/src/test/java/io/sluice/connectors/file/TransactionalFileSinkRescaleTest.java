package io.sluice.connectors.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.sink.TwoPhaseCommitSink.TransactionalWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restores at another parallelism: handles dealt round-robin by the runtime (split list state) or given to everyone
 * (union style), and the in-progress files of other parallelisms and of vanished subtask indexes cleaned only once it
 * is safe.
 */
class TransactionalFileSinkRescaleTest {

    @TempDir
    Path tmp;

    private static TransactionalWriter<String, PendingFile> writer(Path dir, int subtask, int parallelism) throws Exception {
        return new TransactionalFileSink<String>(dir.toString()).createWriter(new TxTestContext(subtask, parallelism));
    }

    private static List<String> inProgressNames(Path dir) throws IOException {
        return TransactionalFileSink.inProgressFiles(dir).stream().map(p -> p.getFileName().toString()).toList();
    }

    @Test
    void scaleDownFrom3To2CommitsEveryHandleAndCleansOnceACheckpointCompleted() throws Exception {
        Path dir = tmp.resolve("out");
        List<PendingFile> checkpoint1 = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            var old = writer(dir, i, 3);
            old.recover(List.of());
            old.write(i + "-a");
            checkpoint1.add(old.preCommit(1));
            old.write(i + "-b");
            old.preCommit(2); // checkpoint 2 never completes
            old.write(i + "-c"); // open at the crash
        }
        // crash; restore checkpoint 1 at parallelism 2: [h0, h1, h2] dealt round-robin
        var n0 = writer(dir, 0, 2);
        var n1 = writer(dir, 1, 2);
        n1.recover(List.of(checkpoint1.get(1)));
        n0.recover(List.of(checkpoint1.get(0), checkpoint1.get(2)));
        assertEquals(List.of("0-a", "1-a", "2-a"), TransactionalFileSink.readCommitted(dir));
        List<String> debris = inProgressNames(dir);
        assertEquals(6, debris.size(), "written at parallelism 3: deletion deferred " + debris);
        assertTrue(debris.stream().allMatch(n -> n.startsWith(".") && n.endsWith("-of-3.inprogress")), debris.toString());

        n0.write("n0-x");
        n1.write("n1-x");
        PendingFile h0 = n0.preCommit(3);
        PendingFile h1 = n1.preCommit(3);
        assertEquals(3, h0.seq(), "after the highest seq of index 0 in the directory");
        n0.commit(h0); // checkpoint 3 completed: every subtask has recovered
        assertEquals(List.of(".part-1-1-of-3.inprogress", ".part-1-2-of-3.inprogress", h1.inProgressName()),
                inProgressNames(dir), "subtask 0 cleaned its own index and vanished index 2, not index 1 (nor h1, pending)");
        n1.commit(h1);
        assertEquals(List.of(), inProgressNames(dir), "no leftover in-progress file");
        assertEquals(List.of("0-a", "n0-x", "1-a", "n1-x", "2-a"), TransactionalFileSink.readCommitted(dir));
        n0.close();
        n1.close();
    }

    /**
     * The case that makes eager aborting unsafe: after 2 → 4 the only handle, written by subtask 1, is dealt to
     * subtask 0, and subtask 1 recovers first with an empty list. Deleting "its" unlisted in-progress files there
     * would lose that transaction; they were written at another parallelism, so it leaves them.
     */
    @Test
    void scaleUpWhereAnotherSubtaskReceivesMyHandleLosesNothing() throws Exception {
        Path dir = tmp.resolve("out");
        var old0 = writer(dir, 0, 2);
        var old1 = writer(dir, 1, 2);
        old0.recover(List.of());
        old1.recover(List.of());
        old1.write("1-a");
        assertEquals(null, old0.preCommit(1), "subtask 0 wrote nothing before checkpoint 1");
        PendingFile h1 = old1.preCommit(1);
        old0.write("0-b");
        old1.write("1-b");
        old0.preCommit(2);
        old1.preCommit(2); // checkpoint 2 never completes; crash

        List<TransactionalWriter<String, PendingFile>> fresh = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            fresh.add(writer(dir, i, 4));
        }
        fresh.get(1).recover(List.of()); // first, with nothing
        fresh.get(3).recover(List.of());
        fresh.get(0).recover(List.of(h1)); // the dealt handle
        fresh.get(2).recover(List.of());
        assertEquals(List.of("1-a"), TransactionalFileSink.readCommitted(dir), "nothing lost");
        assertEquals(List.of(".part-0-0-of-2.inprogress", ".part-1-1-of-2.inprogress"), inProgressNames(dir));

        for (int i = 0; i < 4; i++) {
            var w = fresh.get(i);
            w.write("new-" + i);
            w.commit(w.preCommit(3));
        }
        assertEquals(List.of(), inProgressNames(dir));
        assertEquals(List.of("new-0", "1-a", "new-1", "new-2", "new-3"), TransactionalFileSink.readCommitted(dir));
        for (var w : fresh) {
            w.close();
        }
    }

    @Test
    void unionStyleHandlesCommittedConcurrentlyByEverySubtaskAppearOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int round = 0; round < 20; round++) {
                Path dir = tmp.resolve("union-" + round);
                var old = writer(dir, 0, 1);
                old.recover(List.of());
                List<PendingFile> all = new ArrayList<>();
                List<String> expected = new ArrayList<>();
                for (int c = 1; c <= 30; c++) {
                    old.write("r" + c);
                    expected.add("r" + c);
                    all.add(old.preCommit(c));
                }
                // crash; restore at parallelism 3, every subtask given every handle
                CyclicBarrier start = new CyclicBarrier(3);
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    var w = writer(dir, i, 3);
                    done.add(pool.submit(() -> {
                        start.await();
                        w.recover(all);
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(); // rethrows a failed commit
                }
                assertEquals(expected, TransactionalFileSink.readCommitted(dir), "round " + round);
                assertEquals(List.of(), inProgressNames(dir), "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void filesOfAVanishedSubtaskIndexAreCleanedByItsHeirAfterItsFirstCommitNotByFinish() throws Exception {
        Path dir = tmp.resolve("out");
        var old3 = writer(dir, 3, 4);
        old3.recover(List.of());
        old3.write("3-a");
        old3.preCommit(5); // never completed
        old3.write("3-b"); // open at the crash
        assertEquals(2, inProgressNames(dir).size());

        // restore (nothing pending anywhere) at parallelism 2: index 3 belongs to subtask 3 % 2 = 1
        var n0 = writer(dir, 0, 2);
        var n1 = writer(dir, 1, 2);
        n0.recover(List.of());
        n1.recover(List.of());
        n0.write("x");
        n0.commit(n0.preCommit(6));
        assertEquals(2, inProgressNames(dir).size(), "not subtask 0's to clean");
        n1.write("y");
        n1.finish(); // finish proves nothing about the other subtasks' recovery
        assertEquals(2, inProgressNames(dir).size());
        n0.close();
        n1.close();

        // the next run at parallelism 2 cleans them after its first completed checkpoint
        var m1 = writer(dir, 1, 2);
        m1.recover(List.of());
        m1.write("z");
        m1.commit(m1.preCommit(7));
        assertEquals(List.of(), inProgressNames(dir));
        assertEquals(List.of("x", "y", "z"), TransactionalFileSink.readCommitted(dir));
        m1.close();
    }
}
