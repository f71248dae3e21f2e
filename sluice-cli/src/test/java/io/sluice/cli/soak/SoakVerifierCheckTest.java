package io.sluice.cli.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.sink.SinkContext;
import io.sluice.api.sink.TwoPhaseCommitSink;
import io.sluice.api.sink.TwoPhaseCommitSink.TransactionalWriter;
import io.sluice.testing.ExactlyOnceVerifier;
import io.sluice.testing.Tagged;
import io.sluice.testing.VerifiedTransaction;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VerifierCheck} on ledgers made by hand through the verifier's public API (a witness and a ledger sink driven
 * as the runtime drives them): a round passes only when every input record was committed once, and its failure names
 * the lost or duplicated records by split and offset.
 */
class SoakVerifierCheckTest {
    private static final SoakInput INPUT = SoakOracleTest.INPUT;
    private static final SoakPlan PLAN = SoakOracleTest.PLAN;

    @TempDir
    Path tmp;

    private record Context(int subtaskIndex, int parallelism, String operatorName) implements SinkContext {}

    /**
     * Writes the round's ledger in one checkpoint: the witness sees every record of the input ({@code witnessed} of
     * each split), the ledger sink commits them, except those of split 1 at {@code lost} and twice those at
     * {@code doubled} (in a second committed transaction).
     */
    private FinishedRound round(long witnessedShort, Set<Long> lost, Set<Long> doubled) throws Exception {
        ExactlyOnceVerifier verifier = ExactlyOnceVerifier.open(SoakJob.ledgerDir(tmp));
        TwoPhaseCommitSink<Tagged<Long>, VerifiedTransaction> witnessSink = verifier.witness();
        TwoPhaseCommitSink<Tagged<Long>, VerifiedTransaction> ledgerSink = verifier.ledgerSink();
        TransactionalWriter<Tagged<Long>, VerifiedTransaction> witness = witnessSink.createWriter(new Context(0, 1, "witness"));
        TransactionalWriter<Tagged<Long>, VerifiedTransaction> sink = ledgerSink.createWriter(new Context(0, 1, "ledger"));
        witness.recover(List.of());
        sink.recover(List.of());
        for (int split = 0; split < INPUT.splits(); split++) {
            long length = INPUT.splitLength(split) - (split == 0 ? witnessedShort : 0);
            for (long offset = 0; offset < length; offset++) {
                Tagged<Long> record = new Tagged<>("soak-input/soak-" + split, offset, INPUT.id(split, offset));
                witness.write(record);
                if (!(split == 1 && lost.contains(offset))) {
                    sink.write(record);
                }
            }
        }
        VerifiedTransaction witnessed = witness.preCommit(1);
        VerifiedTransaction first = sink.preCommit(1);
        for (long offset : doubled) {
            sink.write(new Tagged<>("soak-input/soak-1", offset, INPUT.id(1, offset)));
        }
        VerifiedTransaction second = sink.preCommit(2);
        witness.commit(witnessed);
        sink.commit(first);
        if (second != null) {
            sink.commit(second);
        }
        witness.close();
        sink.close();
        return new FinishedRound(PLAN, tmp, List.of(), List.of());
    }

    @Test
    void aLedgerWithEveryRecordOncePasses() throws Exception {
        assertEquals(Optional.empty(), new VerifierCheck().check(round(0, Set.of(), Set.of())));
    }

    @Test
    void recordsMissingFromTheLedgerFailTheRoundWithTheirCoordinates() throws Exception {
        String problem = new VerifierCheck().check(round(0, Set.of(5L, 17L), Set.of())).orElseThrow();
        assertTrue(problem.startsWith("the exactly-once verifier: exactly-once violated"), problem);
        assertTrue(problem.contains("2 lost, 0 duplicated"), problem);
        assertTrue(problem.contains("soak-input/soak-1#5") && problem.contains("soak-input/soak-1#17"), problem);
        assertTrue(!problem.contains("\n"), "one line: " + problem);
    }

    @Test
    void recordsCommittedTwiceFailTheRound() throws Exception {
        String problem = new VerifierCheck().check(round(0, Set.of(), Set.of(3L))).orElseThrow();
        assertTrue(problem.contains("0 lost, 1 duplicated"), problem);
        assertTrue(problem.contains("soak-input/soak-1#3"), problem);
    }

    @Test
    void aLedgerThatCoversLessThanTheInputFailsTheRound() throws Exception {
        String problem = new VerifierCheck().check(round(10, Set.of(), Set.of())).orElseThrow();
        assertTrue(problem.startsWith("the exactly-once verifier expected " + (INPUT.records() - 10)
                + " records, the input has " + INPUT.records()), problem);
    }

    @Test
    void aRoundWithoutLedgerFails() throws Exception {
        String problem = new VerifierCheck().check(new FinishedRound(PLAN, tmp, List.of(), List.of())).orElseThrow();
        assertTrue(problem.startsWith("no exactly-once ledger in "), problem);
    }
}
