package io.sluice.runtime.source;

/**
 * How a reader reaches its source coordinator: registration and split requests. Any thread; never blocks (the
 * coordinator acts on its own thread and answers through the reader's {@link ReaderGateway}).
 */
public interface SplitRequests {

    /** Reader {@code subtask} started: the enumerator assigns its first splits, then a {@link ReaderEvent.Registered}. */
    void registerReader(int subtask);

    /** Reader {@code subtask} asks for a split. */
    void requestSplit(int subtask);
}
