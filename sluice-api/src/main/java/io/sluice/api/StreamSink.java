package io.sluice.api;

import java.util.Objects;

/** The sink operator at the end of a stream: set its name, uid and parallelism. */
public final class StreamSink {
    private final GraphBuilder.NodeDraft draft;

    StreamSink(GraphBuilder.NodeDraft draft) {
        this.draft = draft;
    }

    public StreamSink name(String name) {
        draft.name = Objects.requireNonNull(name, "name");
        return this;
    }

    public StreamSink uid(String uid) {
        draft.uid = Objects.requireNonNull(uid, "uid");
        return this;
    }

    public StreamSink setParallelism(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        draft.parallelism = parallelism;
        return this;
    }
}
