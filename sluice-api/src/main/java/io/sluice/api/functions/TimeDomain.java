package io.sluice.api.functions;

/** Which clock a timer follows. */
public enum TimeDomain {
    /** Fires when the watermark reaches its time. */
    EVENT_TIME,
    /** Fires when the wall clock reaches its time. */
    PROCESSING_TIME
}
