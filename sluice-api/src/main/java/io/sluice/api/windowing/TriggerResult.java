package io.sluice.api.windowing;

/** What a {@link Trigger} decides for a window: whether to evaluate it now, and whether to discard its contents. */
public enum TriggerResult {
    /** Do nothing. */
    CONTINUE(false, false),
    /** Evaluate the window function on the window's contents and emit the result; keep the contents. */
    FIRE(true, false),
    /** Discard the window's contents without evaluating (the window itself lives on until it is cleaned up). */
    PURGE(false, true),
    /** Evaluate, then discard the contents. */
    FIRE_AND_PURGE(true, true);

    private final boolean fire;
    private final boolean purge;

    TriggerResult(boolean fire, boolean purge) {
        this.fire = fire;
        this.purge = purge;
    }

    public boolean isFire() {
        return fire;
    }

    public boolean isPurge() {
        return purge;
    }
}
