package io.sluice.api.sink;

import java.io.PrintStream;

/**
 * Prints each record's {@code toString()} to standard output, one per line; with parallelism above one each
 * line starts with the subtask number ({@code "2> "}), as Flink users expect. For development: every record
 * takes the stream's lock.
 */
public final class PrintSink<T> implements Sink<T> {

    @Override
    public SinkWriter<T> createWriter(SinkContext context) {
        String prefix = context.parallelism() > 1 ? (context.subtaskIndex() + 1) + "> " : "";
        PrintStream out = System.out;
        return new SinkWriter<>() {
            @Override
            public void write(T record) {
                out.println(prefix + record);
            }

            @Override
            public void close() {
                out.flush();
            }
        };
    }
}
