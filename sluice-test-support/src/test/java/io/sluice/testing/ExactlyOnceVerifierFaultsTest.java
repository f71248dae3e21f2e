package io.sluice.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verifier catches what it claims to catch: broken sinks ({@link MemorySink.Fault}) and a broken runtime
 * ({@link SimulatedRuntime.Fault}), driven step by step by {@link SimulatedRuntime} so that each test knows exactly
 * which records the fault lost or duplicated (the oracle). The report must name exactly those, with the checkpoint
 * or transactions that explain them, and nothing else; without a fault it must report a clean run.
 */
class ExactlyOnceVerifierFaultsTest {
    private static final long[] LENGTHS = {40, 40, 30};

    @TempDir
    Path tmp;

    @RegisterExtension
    final MemorySinks sinks = new MemorySinks();

    private MemorySink memory;

    private ExactlyOnceVerifier verifier(String name) throws Exception {
        return ExactlyOnceVerifier.open(tmp.resolve(name));
    }

    private SimulatedRuntime runtime(ExactlyOnceVerifier verifier, MemorySink.Fault sinkFault, long faultyCheckpoint,
            SimulatedRuntime.Fault runtimeFault, int sinkParallelism) throws Exception {
        memory = sinks.create(sinkFault, faultyCheckpoint);
        return new SimulatedRuntime(verifier, memory, sinkParallelism, LENGTHS, runtimeFault);
    }

    @Test
    void aCorrectSinkAndRuntimeAcrossCrashesAreReportedClean() throws Exception {
        ExactlyOnceVerifier verifier = verifier("clean");
        SimulatedRuntime run = runtime(verifier, MemorySink.Fault.NONE, -1, SimulatedRuntime.Fault.NONE, 2);
        run.emit(12);
        run.complete(run.checkpoint());
        run.emit(9);
        run.checkpoint();
        run.crash();
        run.emit(20);
        long second = run.checkpoint();
        run.emit(3);
        run.checkpoint();
        run.complete(second);
        run.crash();
        run.finish();

        VerificationReport ledger = verifier.verify();
        ledger.assertExactlyOnce();
        assertEquals(110, ledger.expectedRecords(), ledger.toString());
        VerificationReport output = verifier.verify(memory.destination().outputTags());
        output.assertExactlyOnce();
        assertTrue(output.toString().startsWith("exactly-once: 110 records of 3 splits"), output.toString());
    }

    @Test
    void aCommitThatPublishesNothingLosesExactlyItsRecordsWhichItsCheckpointCovered() throws Exception {
        ExactlyOnceVerifier verifier = verifier("drop");
        SimulatedRuntime run = runtime(verifier, MemorySink.Fault.DROP_ON_COMMIT, 2, SimulatedRuntime.Fault.NONE, 1);
        run.emit(10);
        run.complete(run.checkpoint());
        run.emit(10);
        assertEquals(2, run.checkpoint());
        run.complete(2);
        run.emit(5);
        run.finish();

        Set<Tag> dropped = memory.destination().droppedTags();
        assertEquals(10, dropped.size());
        VerificationReport report = verifier.verify(memory.destination().outputTags());
        Findings.assertFinds(report, dropped, Set.of(), "dropped");
        for (VerificationReport.Lost lost : report.lost()) {
            assertEquals(2, lost.checkpointId(), lost.toString());
            assertTrue(lost.detail().startsWith("checkpoint 2 covered it") && lost.detail().contains("missing from the output"),
                    lost.detail());
        }
        // The runtime did its part: the ledger alone (what the runtime committed) is clean.
        verifier.verify().assertExactlyOnce();
    }

    @Test
    void aCommitThatIsNotIdempotentDuplicatesWhatRecoveryCommitsAgain() throws Exception {
        ExactlyOnceVerifier verifier = verifier("append");
        SimulatedRuntime run = runtime(verifier, MemorySink.Fault.APPEND_ON_EVERY_COMMIT, -1, SimulatedRuntime.Fault.NONE, 1);
        run.emit(8);
        run.complete(run.checkpoint());
        run.emit(4);
        run.crash(); // recovery commits checkpoint 1's transaction again
        run.finish();

        Map<Tag, Integer> repeated = memory.destination().repeatedAppends();
        assertEquals(8, repeated.size());
        VerificationReport report = verifier.verify(memory.destination().outputTags());
        Findings.assertFinds(report, Set.of(), repeated.keySet(), "appended again");
        for (VerificationReport.Duplicate d : report.duplicates()) {
            assertEquals(2, d.times());
            assertEquals(List.of(1L), d.checkpointIds(), "one transaction, of checkpoint 1");
            assertTrue(d.detail().contains("committed by one transaction"), d.detail());
        }
        verifier.verify().assertExactlyOnce();
    }

    @Test
    void aPreCommitThatKeepsItsRecordsCommitsThemUnderTwoTransactions() throws Exception {
        ExactlyOnceVerifier verifier = verifier("keep");
        SimulatedRuntime run = runtime(verifier, MemorySink.Fault.KEEP_BUFFER, 1, SimulatedRuntime.Fault.NONE, 1);
        run.emit(6);
        run.checkpoint();
        run.emit(6);
        run.complete(run.checkpoint());
        run.finish();

        Set<Tag> kept = memory.destination().keptTwiceTags();
        assertEquals(6, kept.size());
        Findings.assertFinds(verifier.verify(memory.destination().outputTags()), Set.of(), kept, "kept");
        verifier.verify().assertExactlyOnce();
    }

    @Test
    void aRuntimeThatCommitsAnAbortedTransactionDuplicatesItsReplayedRecords() throws Exception {
        ExactlyOnceVerifier verifier = verifier("commit-aborted");
        SimulatedRuntime run = runtime(verifier, MemorySink.Fault.NONE, -1, SimulatedRuntime.Fault.COMMIT_ABORTED, 2);
        run.emit(10);
        run.complete(run.checkpoint());
        run.emit(10);
        assertEquals(2, run.checkpoint());
        run.crash(); // checkpoint 2 never completed, yet its transactions are committed
        run.finish();

        assertEquals(10, run.faultDuplicated().size());
        VerificationReport report = verifier.verify();
        Findings.assertFinds(report, Set.of(), run.faultDuplicated(), "committed an aborted transaction");
        for (VerificationReport.Duplicate d : report.duplicates()) {
            assertEquals(2, d.times());
            assertEquals(List.of(2L, Long.MAX_VALUE), d.checkpointIds().stream().sorted().toList(), d.toString());
            assertTrue(d.detail().contains("checkpoint 2") && d.detail().contains("the end of input"), d.detail());
        }
        Findings.assertFinds(verifier.verify(memory.destination().outputTags()), Set.of(), run.faultDuplicated(), "output");
    }

    @Test
    void aRuntimeThatRestoresTheSourceAheadLosesTheSkippedRecords() throws Exception {
        ExactlyOnceVerifier verifier = verifier("ahead");
        SimulatedRuntime run = runtime(verifier, MemorySink.Fault.NONE, -1, SimulatedRuntime.Fault.RESTORE_SOURCE_AHEAD, 2);
        run.emit(9);
        run.complete(run.checkpoint());
        run.emit(7);
        run.crash();
        run.emit(9);
        long after = run.checkpoint();
        run.complete(after);
        run.finish();

        assertEquals(7, run.faultLost().size());
        VerificationReport report = verifier.verify();
        Findings.assertFinds(report, run.faultLost(), Set.of(), "source ahead");
        for (VerificationReport.Lost lost : report.lost()) {
            assertEquals(after, lost.checkpointId(), "the first checkpoint whose positions passed it: " + lost);
            assertTrue(lost.detail().endsWith("held by no transaction of the verified sinks"), lost.detail());
        }
        assertFalse(report.toString().contains("null"), report.toString());
    }

    @Test
    void aLedgerWithoutCommittedSourcePositionsVerifiesNothingAndSaysWhy() throws Exception {
        ExactlyOnceVerifier verifier = verifier("empty");
        VerificationReport report = verifier.verify(List.of(new Tag("numbers/seq-0", 0)));
        assertFalse(report.isExactlyOnce());
        assertTrue(report.toString().startsWith("nothing verified: no committed source position in the ledger "
                + verifier.ledgerDirectory()), report.toString());
        assertEquals(1, report.unexpectedCount(), "a record of a split no witness knows: " + report);
        AssertionError e = assertThrows(AssertionError.class, report::assertNothingLost);
        assertTrue(e.getMessage().contains("did the job read its sources through ExactlyOnceVerifier.fromSource"),
                e.getMessage());

        Files.writeString(tmp.resolve("a-file"), "x");
        IllegalArgumentException notADirectory = assertThrows(
                IllegalArgumentException.class, () -> ExactlyOnceVerifier.open(tmp.resolve("a-file")));
        assertTrue(notADirectory.getMessage().endsWith("a-file is a file"), notADirectory.getMessage());
    }

    /** Seeded random runs, each with at most one fault; rerun one with {@code -Dsluice.verifier.seed=N}. */
    @Test
    void seededRandomRunsReportExactlyTheInjectedFaults() throws Exception {
        Long only = Long.getLong("sluice.verifier.seed");
        Map<String, Integer> faultsSeen = new TreeMap<>();
        for (long seed = only != null ? only : 1; seed <= (only != null ? only : 300); seed++) {
            try {
                faultsSeen.merge(randomRun(seed), 1, Integer::sum);
            } catch (Throwable t) {
                throw new AssertionError("seed " + seed + " failed (rerun with -Dsluice.verifier.seed=" + seed + "): " + t, t);
            }
        }
        System.out.println("ExactlyOnceVerifierFaultsTest: faults that showed " + faultsSeen);
        if (only == null) {
            for (String kind : List.of("none", "dropped", "appended again", "aborted committed", "source ahead")) {
                assertTrue(faultsSeen.getOrDefault(kind, 0) >= 20, "fault '" + kind + "' too rare: " + faultsSeen);
            }
        }
    }

    /** One random run; returns which fault showed in the output ("none" if none did). */
    private String randomRun(long seed) throws Exception {
        Random random = new Random(seed);
        int kind = random.nextInt(5);
        MemorySink.Fault sinkFault = kind == 1 ? MemorySink.Fault.DROP_ON_COMMIT
                : kind == 2 ? MemorySink.Fault.APPEND_ON_EVERY_COMMIT : MemorySink.Fault.NONE;
        SimulatedRuntime.Fault runtimeFault = kind == 3 ? SimulatedRuntime.Fault.COMMIT_ABORTED
                : kind == 4 ? SimulatedRuntime.Fault.RESTORE_SOURCE_AHEAD : SimulatedRuntime.Fault.NONE;
        ExactlyOnceVerifier verifier = verifier("seed-" + seed);
        SimulatedRuntime run = runtime(verifier, sinkFault, 1 + random.nextInt(4), runtimeFault, 1 + random.nextInt(3));
        int crashes = 0;
        for (int step = 0, steps = 20 + random.nextInt(60); step < steps; step++) {
            int op = random.nextInt(100);
            if (op < 50) {
                run.emit(1 + random.nextInt(6));
            } else if (op < 68) {
                run.checkpoint();
            } else if (op < 88) {
                List<Long> completable = run.completable();
                if (!completable.isEmpty()) {
                    run.complete(completable.get(random.nextInt(completable.size())));
                }
            } else if (crashes < 4) {
                crashes++;
                run.crash();
            }
        }
        run.finish();

        MemorySink.Destination destination = memory.destination();
        VerificationReport ledger = verifier.verify();
        VerificationReport output = verifier.verify(destination.outputTags());
        String context = "ledger: " + ledger;
        switch (kind) {
            case 1 -> {
                ledger.assertExactlyOnce();
                Findings.assertFinds(output, destination.droppedTags(), Set.of(), "output");
                return destination.droppedTags().isEmpty() ? "none" : "dropped";
            }
            case 2 -> {
                ledger.assertExactlyOnce();
                Map<Tag, Integer> repeated = destination.repeatedAppends();
                Findings.assertFinds(output, Set.of(), repeated.keySet(), "output");
                for (VerificationReport.Duplicate d : output.duplicates()) {
                    assertEquals(repeated.get(d.tag()) + 1, d.times(), d.toString());
                }
                return repeated.isEmpty() ? "none" : "appended again";
            }
            case 3 -> {
                Findings.assertFinds(ledger, Set.of(), run.faultDuplicated(), "ledger");
                Findings.assertFinds(output, Set.of(), run.faultDuplicated(), "output");
                return run.faultDuplicated().isEmpty() ? "none" : "aborted committed";
            }
            case 4 -> {
                Findings.assertFinds(ledger, run.faultLost(), Set.of(), "ledger");
                Findings.assertFinds(output, run.faultLost(), Set.of(), "output");
                return run.faultLost().isEmpty() ? "none" : "source ahead";
            }
            default -> {
                ledger.assertExactlyOnce();
                output.assertExactlyOnce();
                assertEquals(LENGTHS[0] + LENGTHS[1] + LENGTHS[2], ledger.expectedRecords(), context);
                return "none";
            }
        }
    }
}
