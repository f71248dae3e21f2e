package io.sluice.api.sink;

import java.io.Serializable;

/** Where a stream ends. Part of the job graph; one writer per parallel subtask, created on its task thread. */
@FunctionalInterface
public interface Sink<T> extends Serializable {
    SinkWriter<T> createWriter(SinkContext context) throws Exception;
}
