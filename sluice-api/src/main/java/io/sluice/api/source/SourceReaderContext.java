package io.sluice.api.source;

/** Where a source reader runs. */
public interface SourceReaderContext {
    int subtaskIndex();

    int parallelism();

    /** The operator name, for error messages. */
    String operatorName();

    /**
     * Asks the enumerator for a split ({@link SplitEnumerator#handleSplitRequest}); the answer comes later, as
     * {@link SourceReader#addSplits} or {@link SourceReader#notifyNoMoreSplits}. Task thread; never blocks.
     */
    default void sendSplitRequest() {
        throw new UnsupportedOperationException("this context sends no split requests");
    }
}
