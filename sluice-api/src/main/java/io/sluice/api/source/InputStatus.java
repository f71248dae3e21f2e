package io.sluice.api.source;

/** What a {@link SourceReader#pollNext} call left behind. */
public enum InputStatus {
    /** More records can be read right away. */
    MORE_AVAILABLE,
    /** Nothing now (rate limit, waiting for data); poll again after {@link SourceReader#nanosUntilAvailable()}. */
    NOTHING_AVAILABLE,
    /** All assigned splits are read to their end (bounded sources only). */
    END_OF_INPUT
}
