package io.sluice.runtime.recovery;

/** {@link io.sluice.api.graph.RestartStrategy#none()}: gives up on the first failure. */
final class NoRestartDecider implements RestartDecider {
    private static final RestartDecision.GiveUp GIVE_UP =
            new RestartDecision.GiveUp("restarts are disabled (restart strategy: none)");

    @Override
    public RestartDecision onFailure() {
        return GIVE_UP;
    }
}
