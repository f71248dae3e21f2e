package io.sluice.cli.soak;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How one round went.
 *
 * @param round       0-based index in its soak run
 * @param problem     what went wrong (one line), empty if the round passed
 * @param runs        child JVMs started
 * @param kills       of them, killed by the soak
 * @param faultsFired planned in-process faults that fired (of {@code plan.faults().size()})
 * @param roundDir    where its files are (kept only when it failed)
 */
public record RoundResult(int round, SoakPlan plan, Optional<String> problem, long millis, int runs, int kills,
        int faultsFired, Path roundDir) {

    public boolean passed() {
        return problem.isEmpty();
    }
}
