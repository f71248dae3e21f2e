package io.sluice.connectors.kafka.sink;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Keeps the first error of asynchronous sends, for the writer to throw on its task thread (a send callback runs on
 * the producer's I/O thread). One callback instance serves every send: nothing is allocated per record.
 */
final class SendErrors implements Callback {
    private final String sink;
    private volatile Exception first;

    SendErrors(String sink) {
        this.sink = sink;
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception exception) {
        if (exception != null && first == null) {
            first = exception;
        }
    }

    /** Throws the first send error, naming the sink, subtask and what the writer was doing. */
    void check(String doing) {
        Exception e = first;
        if (e != null) {
            throw new IllegalStateException(sink + ": sending to Kafka failed (" + doing + "): " + e, e);
        }
    }
}
