package io.sluice.nexmark;

import io.sluice.api.sink.TwoPhaseCommitSink;
import io.sluice.testing.TwoPhaseCommitSinkContractTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The in-memory transactional sink of Nexmark's exactly-once tests against the two-phase-commit sink contract. */
class MemoryTransactionalSinkContractTest extends TwoPhaseCommitSinkContractTest<Object, String> {
    private final List<MemoryTransactionalSink> sinks = new ArrayList<>();

    @Override
    protected TwoPhaseCommitSink<Object, String> createSink() {
        sinks.add(new MemoryTransactionalSink(false));
        return sinks.getLast();
    }

    @Override
    protected Object record(String id) {
        return id;
    }

    @Override
    protected List<String> visibleRecords() {
        return sinks.getLast().committed();
    }

    @AfterEach
    void clear() {
        sinks.forEach(MemoryTransactionalSink::clear);
    }
}
