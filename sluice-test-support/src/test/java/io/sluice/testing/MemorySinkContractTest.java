package io.sluice.testing;

import io.sluice.api.sink.TwoPhaseCommitSink;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The verifier tests' in-memory sink, without a fault, against the two-phase-commit sink contract. */
class MemorySinkContractTest extends TwoPhaseCommitSinkContractTest<Tagged<String>, MemorySink.Tx> {
    @RegisterExtension
    final MemorySinks sinks = new MemorySinks();
    private final AtomicLong offsets = new AtomicLong();
    private MemorySink sink;

    @Override
    protected TwoPhaseCommitSink<Tagged<String>, MemorySink.Tx> createSink() {
        sink = sinks.create();
        return sink;
    }

    @Override
    protected Tagged<String> record(String id) {
        return new Tagged<>("split", offsets.getAndIncrement(), id);
    }

    @Override
    protected List<String> visibleRecords() {
        return sink.destination().lines().stream().map(Tagged::valueText).toList();
    }
}
