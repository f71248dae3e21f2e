package io.sluice.api.source;

/** Where a source reader runs. */
public interface SourceReaderContext {
    int subtaskIndex();

    int parallelism();

    /** The operator name, for error messages. */
    String operatorName();
}
