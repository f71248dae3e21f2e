package io.sluice.api.sink;

/**
 * Writes the records of one parallel subtask of a sink. Task thread only.
 *
 * <p>Call order: {@link #write} any number of times; {@link #finish()} once if the input ended normally;
 * {@link #close()} always, also after a failure (then without {@code finish}).
 */
public interface SinkWriter<T> extends AutoCloseable {

    void write(T record) throws Exception;

    /** The input ended: make everything written visible (flush, publish). */
    default void finish() throws Exception {}

    /** Releases resources. After a failure, output not finished may be discarded. */
    @Override
    void close() throws Exception;
}
