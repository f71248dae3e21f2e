package io.sluice.cli.soak;

import java.io.IOException;
import java.util.Optional;

/**
 * Every failure of the job was one the plan injected: a failure the runtime restarted from, or one that ended a child
 * (its final commit failing), must name an injected fault. Anything else is a real failure that the restart strategy
 * would otherwise hide, even when the output comes out right. Reads the children's logs (the runtime logs each
 * restart with its cause at WARN).
 */
final class PlannedFailuresCheck implements RoundCheck {
    /** What the runtime logs when it restarts a failed job. */
    static final String RESTART_MARK = "failed; restart";

    @Override
    public Optional<String> check(FinishedRound round) throws IOException {
        int unplanned = 0;
        String first = null;
        for (String line : round.childLogLines()) {
            if (line.contains(RESTART_MARK) && !line.contains(InjectedFault.MARK)) {
                unplanned++;
                first = first == null ? line.strip() : first;
            }
        }
        return unplanned == 0 ? Optional.empty()
                : Optional.of("the job failed " + unplanned + " time(s) without an injected fault; first: " + first);
    }
}
