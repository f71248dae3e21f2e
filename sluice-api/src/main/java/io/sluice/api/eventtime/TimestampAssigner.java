package io.sluice.api.eventtime;

import java.io.Serializable;

/**
 * Gives a record its event-time timestamp, in milliseconds. Part of the job graph, hence {@link Serializable}; each
 * subtask works with its own deserialized copy and calls it on its task thread, once per record, before the record
 * goes downstream.
 */
@FunctionalInterface
public interface TimestampAssigner<T> extends Serializable {

    /**
     * The timestamp of {@code element}.
     *
     * @param recordTimestamp the timestamp the record already has (given by the source or an earlier operator), or
     *                        {@link Long#MIN_VALUE} if none
     */
    long extractTimestamp(T element, long recordTimestamp);
}
