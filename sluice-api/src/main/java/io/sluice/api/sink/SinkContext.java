package io.sluice.api.sink;

/** Where a sink writer runs. */
public interface SinkContext {
    int subtaskIndex();

    int parallelism();

    String operatorName();
}
