package io.sluice.cli.soak;

import io.sluice.testing.ExactlyOnceVerifier;
import io.sluice.testing.VerificationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Every input record was committed exactly once, record by record: the round's {@link ExactlyOnceVerifier} ledger
 * ({@link SoakJob#ledgerDir}, written by all its child JVMs) holds each source record in exactly one committed
 * transaction of the ledger sink, and the committed source positions cover the whole input. A failure is the
 * verifier's summary: lost, duplicated and unexpected records by split and offset, with the checkpoints and
 * transactions involved.
 */
final class VerifierCheck implements RoundCheck {
    @Override
    public Optional<String> check(FinishedRound round) throws IOException {
        Path ledger = SoakJob.ledgerDir(round.roundDir());
        if (!Files.isDirectory(ledger)) {
            return Optional.of("no exactly-once ledger in " + ledger);
        }
        VerificationReport report = ExactlyOnceVerifier.open(ledger).verify();
        long inputRecords = round.plan().input().records();
        if (!report.isExactlyOnce()) {
            return Optional.of("the exactly-once verifier: " + oneLine(report));
        }
        if (report.expectedRecords() != inputRecords) {
            return Optional.of("the exactly-once verifier expected " + report.expectedRecords() + " records, the input has "
                    + inputRecords + ": " + oneLine(report));
        }
        return Optional.empty();
    }

    /** The report on one line (a failure report is one line); its sections are separated by " | ". */
    private static String oneLine(VerificationReport report) {
        return report.toString().replace("\n  ", "; ").replace("\n", " | ");
    }
}
