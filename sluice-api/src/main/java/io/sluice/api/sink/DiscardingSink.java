package io.sluice.api.sink;

/**
 * A sink that drops every record: for jobs measured or tested by what they do on the way (state, throughput) rather
 * than by what they emit. Each subtask's writer keeps nothing; thread-confined like every writer.
 */
public final class DiscardingSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    @Override
    public SinkWriter<T> createWriter(SinkContext context) {
        return new SinkWriter<>() {
            @Override
            public void write(T record) {}

            @Override
            public void close() {}
        };
    }
}
