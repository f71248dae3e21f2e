package io.sluice.cli.soak;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * One independent check of a finished round. A round passes when every check of {@link #standard()} finds nothing
 * wrong. Record-level verifiers plug in here: add an implementation to {@link #standard()}.
 *
 * <p>Implementations are stateless and called on the soak's main thread, one round at a time.
 */
public interface RoundCheck {

    /** What is wrong with the round, in one line (it goes into the failure report); empty if nothing. */
    Optional<String> check(FinishedRound round) throws IOException;

    /** The checks every round runs, in order; the first problem found fails the round. */
    static List<RoundCheck> standard() {
        return List.of(new PlannedFailuresCheck(), new OracleCheck(), new CleanEndCheck(), new VerifierCheck());
    }
}
