package io.sluice.connectors.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.sink.TwoPhaseCommitSink.TransactionalWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transactional file sink driven directly through its writer: the write / pre-commit / commit cycle, what a reader
 * sees, and crashes at every step of the two-phase commit (a crash = the writer object dropped without close; a new
 * writer is recovered with what the restored checkpoint held).
 */
class TransactionalFileSinkTest {

    @TempDir
    Path tmp;

    private Path dir() {
        return tmp.resolve("out");
    }

    private TransactionalWriter<String, PendingFile> writer(int subtask, int parallelism) throws Exception {
        return new TransactionalFileSink<String>(dir().toString()).createWriter(new TxTestContext(subtask, parallelism));
    }

    private List<String> committed() throws IOException {
        return TransactionalFileSink.readCommitted(dir());
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir())) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void writeAll(TransactionalWriter<String, PendingFile> w, String... records) throws Exception {
        for (String r : records) {
            w.write(r);
        }
    }

    @Test
    void writePreCommitCommitCycles() throws Exception {
        var w = writer(0, 1);
        w.recover(List.of());
        writeAll(w, "a", "b");
        PendingFile h1 = w.preCommit(1);
        assertEquals(new PendingFile(0, 0, 1, 1, 4), h1);
        assertEquals(List.of(".part-0-0-of-1.inprogress"), names());
        assertEquals(List.of(), committed(), "pre-committed is not committed");
        w.commit(h1);
        assertEquals(List.of("a", "b"), committed());
        assertEquals(List.of("part-0-0"), names());

        w.write("c");
        PendingFile h2 = w.preCommit(2);
        assertEquals(List.of("a", "b"), committed());
        w.commit(h2);
        assertEquals(List.of("a", "b", "c"), committed());
        assertEquals(List.of("part-0-0", "part-0-1"), names());
        assertEquals("c\n", Files.readString(dir().resolve(h2.finalName())));
        w.finish();
        w.close();
        assertEquals(List.of("part-0-0", "part-0-1"), names(), "finish with nothing written adds no file");
    }

    @Test
    void preCommitWithNothingWrittenReturnsNullAndOpensNoFile() throws Exception {
        var w = writer(0, 1);
        w.recover(List.of());
        assertNull(w.preCommit(1));
        w.write("x");
        assertNotNull(w.preCommit(2));
        assertNull(w.preCommit(3), "nothing written since the last pre-commit");
        assertEquals(1, TransactionalFileSink.inProgressFiles(dir()).size());
        w.close();
    }

    @Test
    void aReaderNeverSeesUncommittedData() throws Exception {
        var w = writer(0, 1);
        w.recover(List.of());
        writeAll(w, "one", "two");
        PendingFile h1 = w.preCommit(1);
        writeAll(w, "three");
        PendingFile h2 = w.preCommit(2);
        writeAll(w, "four"); // open, buffered or not
        assertEquals(List.of(), committed(), "nothing is visible before a commit");
        for (String name : names()) {
            assertTrue(name.startsWith("."), "every uncommitted file is hidden: " + name);
        }
        w.commit(h1);
        assertEquals(List.of("one", "two"), committed());
        w.commit(h2);
        assertEquals(List.of("one", "two", "three"), committed(), "the open transaction stays invisible");
        w.close();
        assertEquals(List.of("one", "two", "three"), committed());
    }

    @Test
    void commitIsIdempotent() throws Exception {
        var w = writer(0, 1);
        w.recover(List.of());
        writeAll(w, "x", "y");
        PendingFile h = w.preCommit(1);
        w.commit(h);
        w.commit(h);
        w.commit(h);
        assertEquals(List.of("x", "y"), committed());
        assertEquals(List.of("part-0-0"), names());
        w.close();
    }

    @Test
    void oneCompletionNoticeMayCommitSeveralCheckpointsInAnyOrder() throws Exception {
        var w = writer(0, 1);
        w.recover(List.of());
        List<PendingFile> handles = new ArrayList<>();
        for (int c = 1; c <= 4; c++) {
            w.write("r" + c);
            handles.add(w.preCommit(c));
        }
        assertEquals(List.of(), committed());
        // checkpoints 1 and 2 timed out; the notice of 4 covers everything up to 4
        w.commit(handles.get(3));
        w.commit(handles.get(1));
        w.commit(handles.get(0));
        w.commit(handles.get(2));
        assertEquals(List.of("r1", "r2", "r3", "r4"), committed(), "ordered by file name (seq), not commit order");
        assertEquals(List.of(), TransactionalFileSink.inProgressFiles(dir()));
        w.close();
    }

    @Test
    void handlesAreSerializableAndSelfDescribing() throws Exception {
        PendingFile h = new PendingFile(3, 17, 4, 9, 123);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(h);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(h, in.readObject());
        }
        assertEquals(".part-3-17-of-4.inprogress", h.inProgressName());
        assertEquals("part-3-17", h.finalName());
        assertThrows(IllegalArgumentException.class, () -> new PendingFile(4, 1, 4, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new PendingFile(0, -1, 1, 1, 0));
    }

    // ---- crashes inside the two-phase commit --------------------------------------------------------------------

    @Test
    void crashAfterPreCommitBeforeCommitIsCommittedByRecover() throws Exception {
        var before = writer(0, 1);
        before.recover(List.of());
        writeAll(before, "a", "b");
        PendingFile h1 = before.preCommit(1); // checkpoint 1 holds h1 and completes; the notice never arrives
        before = null; // crash: dropped without close

        var after = writer(0, 1);
        after.recover(List.of(h1));
        assertEquals(List.of("a", "b"), committed());
        assertEquals(List.of(), TransactionalFileSink.inProgressFiles(dir()), "no leftover in-progress file");
        after.write("c");
        after.commit(after.preCommit(2));
        assertEquals(List.of("a", "b", "c"), committed());
        after.close();
    }

    @Test
    void crashAfterCommitBeforeTheRuntimeLearnedOfItDoesNotDuplicate() throws Exception {
        var before = writer(0, 1);
        before.recover(List.of());
        writeAll(before, "a", "b");
        PendingFile h1 = before.preCommit(1);
        before.commit(h1); // committed, but the crash comes before the runtime recorded it
        before = null;

        var after = writer(0, 1);
        after.recover(List.of(h1)); // the restored checkpoint still names h1: committed again
        assertEquals(List.of("a", "b"), committed(), "no duplicate");
        assertEquals(List.of("part-0-0"), names());
        after.close();
    }

    @Test
    void crashInTheMiddleOfACommitIsCompletedByRecover() throws Exception {
        var before = writer(0, 1);
        before.recover(List.of());
        writeAll(before, "a", "b");
        PendingFile h1 = before.preCommit(1);
        // the commit's rename happened, the directory fsync did not: simulate the bare rename
        Files.move(dir().resolve(h1.inProgressName()), dir().resolve(h1.finalName()), StandardCopyOption.ATOMIC_MOVE);
        before = null;

        var after = writer(0, 1);
        after.recover(List.of(h1));
        after.commit(h1); // and a late notice for the same checkpoint: still once
        assertEquals(List.of("a", "b"), committed());
        assertEquals(List.of("part-0-0"), names());
        after.close();
    }

    @Test
    void crashAfterTheCheckpointIsDurableButBeforeTheSinkIsTold() throws Exception {
        var before = writer(0, 1);
        before.recover(List.of());
        writeAll(before, "a");
        PendingFile h1 = before.preCommit(1);
        writeAll(before, "b");
        PendingFile h2 = before.preCommit(2); // checkpoint 2 completed, both notices lost
        before = null;

        var after = writer(0, 1);
        after.recover(List.of(h1, h2)); // checkpoint 2 holds every handle not yet known committed
        assertEquals(List.of("a", "b"), committed());
        assertEquals(List.of(), TransactionalFileSink.inProgressFiles(dir()));
        after.close();
    }

    @Test
    void transactionsNewerThanTheCheckpointAreAbortedAndNeverVisible() throws Exception {
        var before = writer(0, 1);
        before.recover(List.of());
        writeAll(before, "a");
        PendingFile h1 = before.preCommit(1);
        writeAll(before, "b");
        before.preCommit(2); // checkpoint 2 never completed
        writeAll(before, "c");
        before.preCommit(3); // nor 3
        writeAll(before, "d"); // and an open transaction
        before = null;
        assertEquals(4, TransactionalFileSink.inProgressFiles(dir()).size());

        var after = writer(0, 1);
        after.recover(List.of(h1)); // restore checkpoint 1
        assertEquals(List.of("a"), committed());
        assertEquals(List.of("part-0-0"), names(), "the aborted transactions are deleted");
        // the runtime replays from checkpoint 1
        writeAll(after, "b", "c", "d");
        after.commit(after.preCommit(4));
        assertEquals(List.of("a", "b", "c", "d"), committed(), "each record once");
        after.close();
    }

    @Test
    void recoverWithNothingPendingAbortsEveryInProgressFileOfTheSubtask() throws Exception {
        var before = writer(0, 1);
        before.recover(List.of());
        writeAll(before, "a");
        before.preCommit(1); // never completed
        writeAll(before, "b");
        before = null;

        var after = writer(0, 1);
        after.recover(List.of()); // the restored checkpoint held nothing of this subtask (or a fresh start)
        assertEquals(List.of(), names());
        after.close();
    }

    @Test
    void aRestartedWriterNeverReusesANameThatExists() throws Exception {
        var before = writer(0, 1);
        before.recover(List.of());
        writeAll(before, "a");
        PendingFile h0 = before.preCommit(1);
        before.commit(h0); // part-0-0
        writeAll(before, "b");
        PendingFile h1 = before.preCommit(2); // .part-0-1, pending
        writeAll(before, "c");
        before.preCommit(3); // .part-0-2, newer than the checkpoint
        before = null;

        var after = writer(0, 1); // scans before recover deletes seq 2: starts at 3
        after.recover(List.of(h1));
        writeAll(after, "c");
        PendingFile h3 = after.preCommit(4);
        assertEquals(3, h3.seq(), "after the highest seq found, committed or not");
        after.commit(h3);
        assertEquals(List.of("part-0-0", "part-0-1", "part-0-3"), names());
        after.close();

        var third = writer(0, 1);
        third.recover(List.of());
        third.write("d");
        assertEquals(4, third.preCommit(5).seq());
        third.close();
    }

    @Test
    void recoverCommitsEveryGivenHandleAgainAfterRepeatedCrashes() throws Exception {
        var first = writer(0, 1);
        first.recover(List.of());
        writeAll(first, "a");
        PendingFile h1 = first.preCommit(1);
        first = null;
        for (int attempt = 0; attempt < 3; attempt++) { // each attempt crashes right after recover
            writer(0, 1).recover(List.of(h1));
        }
        assertEquals(List.of("a"), committed());
        assertEquals(List.of("part-0-0"), names());
    }

    // ---- errors ---------------------------------------------------------------------------------------------------

    @Test
    void aLostTransactionIsAClearErrorNamingTheFile() throws Exception {
        var before = writer(0, 1);
        before.recover(List.of());
        writeAll(before, "a");
        PendingFile h1 = before.preCommit(7);
        before = null;
        Files.delete(dir().resolve(h1.inProgressName())); // someone cleaned the directory

        var after = writer(0, 1);
        IOException e = assertThrows(IOException.class, () -> after.recover(List.of(h1)));
        assertTrue(e.getMessage().contains("transaction lost"), e.getMessage());
        assertTrue(e.getMessage().contains(".part-0-0-of-1.inprogress"), e.getMessage());
        assertTrue(e.getMessage().contains("part-0-0 "), e.getMessage());
        assertTrue(e.getMessage().contains("checkpoint 7"), e.getMessage());
    }

    @Test
    void aTruncatedPreCommittedFileIsNotCommitted() throws Exception {
        var before = writer(0, 1);
        before.recover(List.of());
        writeAll(before, "abc", "def");
        PendingFile h1 = before.preCommit(1);
        before = null;
        Files.writeString(dir().resolve(h1.inProgressName()), "abc\n");

        var after = writer(0, 1);
        IOException e = assertThrows(IOException.class, () -> after.recover(List.of(h1)));
        assertTrue(e.getMessage().contains("has 4 bytes") && e.getMessage().contains("with 8"), e.getMessage());
        assertEquals(List.of(), committed(), "not made visible");
    }

    @Test
    void anExistingCommittedNameIsNeverOverwritten() throws Exception {
        var w = writer(0, 1);
        w.recover(List.of());
        writeAll(w, "new");
        PendingFile h = w.preCommit(1);
        Files.writeString(dir().resolve(h.finalName()), "old\n");
        IOException e = assertThrows(IOException.class, () -> w.commit(h));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertEquals("old\n", Files.readString(dir().resolve(h.finalName())));
        w.close();
    }

    @Test
    void misuseIsRejected() throws Exception {
        var w = writer(0, 1);
        w.write("a");
        assertThrows(IllegalStateException.class, () -> w.recover(List.of()), "recover comes before any record");
        w.finish();
        assertThrows(IllegalStateException.class, () -> w.write("b"));
        assertThrows(IllegalStateException.class, () -> w.preCommit(1));
        w.close();
        assertThrows(IllegalStateException.class, () -> w.write("b"));
        assertEquals(List.of("a"), committed());

        var bad = writer(0, 1);
        bad.recover(List.of());
        assertThrows(IOException.class, () -> {
            bad.write("lone surrogate \uD800");
            bad.preCommit(1);
        }, "not encodable as UTF-8");
        bad.close();
    }

    // ---- finish and close -----------------------------------------------------------------------------------------

    @Test
    void finishCommitsTheLastAndEveryPendingTransactionWithoutACheckpoint() throws Exception {
        var w = writer(0, 1);
        w.recover(List.of());
        writeAll(w, "a");
        PendingFile h1 = w.preCommit(1); // its checkpoint's notice has not come yet
        writeAll(w, "b", "c");
        w.finish();
        assertEquals(List.of("a", "b", "c"), committed());
        assertEquals(List.of("part-0-0", "part-0-1"), names());
        w.commit(h1); // a late notice after finish: idempotent
        w.close();
        assertEquals(List.of("a", "b", "c"), committed());
    }

    @Test
    void closeWithoutFinishKeepsPreCommittedFilesForALaterRecover() throws Exception {
        var before = writer(0, 1);
        before.recover(List.of());
        writeAll(before, "a");
        PendingFile h1 = before.preCommit(1);
        writeAll(before, "b");
        before.close(); // failure: the open transaction can be in no checkpoint and goes
        assertEquals(List.of(h1.inProgressName()), names());

        var after = writer(0, 1);
        after.recover(List.of(h1));
        assertEquals(List.of("a"), committed());
        after.close();
    }

    @Test
    void subtasksNeverTouchEachOthersFiles() throws Exception {
        var w0 = writer(0, 2);
        var w1 = writer(1, 2);
        w0.recover(List.of());
        w1.recover(List.of());
        writeAll(w0, "0a");
        writeAll(w1, "1a");
        PendingFile h0 = w0.preCommit(1);
        PendingFile h1 = w1.preCommit(1);
        writeAll(w0, "0b");
        w0.preCommit(2); // pending of subtask 0, newer than checkpoint 1
        writeAll(w0, "0c"); // open

        // subtask 1 alone restarts (as a fresh writer) from checkpoint 1
        var w1b = writer(1, 2);
        w1b.recover(List.of(h1));
        List<Path> left = TransactionalFileSink.inProgressFiles(dir());
        assertEquals(3, left.size(), "subtask 0's files are untouched: " + left);
        for (Path p : left) {
            assertTrue(p.getFileName().toString().startsWith(".part-0-"), p.toString());
        }
        w0.commit(h0);
        assertEquals(List.of("0a", "1a"), committed());
        w0.close();
        w1b.close();
    }

    @Test
    void formatterUnicodeAndNumericFileOrder() throws Exception {
        var sink = new TransactionalFileSink<Integer>(dir().toString(), n -> "n=" + n + "\té€中😀");
        var w = sink.createWriter(new TxTestContext(0, 1));
        w.recover(List.of());
        List<String> expected = new ArrayList<>();
        for (int c = 0; c < 12; c++) { // seqs 0..11: "part-0-10" sorts after "part-0-9"
            w.write(c);
            expected.add("n=" + c + "\té€中😀");
            w.commit(w.preCommit(c));
        }
        w.write(-1);
        w.write(-2);
        w.finish();
        w.close();
        expected.add("n=-1\té€中😀");
        expected.add("n=-2\té€中😀");
        assertEquals(expected, TransactionalFileSink.readCommitted(dir()));
        assertArrayEquals("n=11\té€中😀\n".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(dir().resolve("part-0-11")));
        assertFalse(Files.exists(dir().resolve("part-0-13")));
        assertTrue(Files.exists(dir().resolve("part-0-12")));
    }

    @Test
    void readCommittedIgnoresHiddenAndForeignFilesAndKeepsEmptyLines() throws Exception {
        var w = writer(0, 1);
        w.recover(List.of());
        writeAll(w, "", "x", "");
        w.finish();
        w.close();
        Files.writeString(dir().resolve("_SUCCESS"), "not a part\n");
        Files.writeString(dir().resolve(".part-0-99-of-1.inprogress"), "hidden\n");
        assertEquals(List.of("", "x", ""), committed());
    }
}
