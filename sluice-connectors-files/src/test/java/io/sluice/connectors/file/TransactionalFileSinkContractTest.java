package io.sluice.connectors.file;

import io.sluice.api.sink.TwoPhaseCommitSink;
import io.sluice.testing.TwoPhaseCommitSinkContractTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** The transactional file sink against the two-phase-commit sink contract: each sink writes to a new directory. */
class TransactionalFileSinkContractTest extends TwoPhaseCommitSinkContractTest<String, PendingFile> {
    @TempDir
    Path tmp;
    private Path dir;
    private int sinks;

    @Override
    protected TwoPhaseCommitSink<String, PendingFile> createSink() {
        dir = tmp.resolve("out-" + sinks++);
        return new TransactionalFileSink<>(dir.toString());
    }

    @Override
    protected String record(String id) {
        return id;
    }

    @Override
    protected List<String> visibleRecords() throws Exception {
        return dir.toFile().exists() ? TransactionalFileSink.readCommitted(dir) : List.of();
    }
}
