package io.sluice.testing;

import io.sluice.api.sink.SinkContext;
import io.sluice.api.source.SourceReaderContext;

/** Where a hand-driven reader or writer runs, for tests that play the runtime. */
record TaskContext(int subtaskIndex, int parallelism, String operatorName) implements SinkContext, SourceReaderContext {}
