package io.sluice.nexmark;

import io.sluice.api.sink.SinkContext;
import io.sluice.api.sink.TwoPhaseCommitSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A two-phase-commit sink into this JVM's memory, for exactly-once tests: a transaction is a list of result lines;
 * {@link #committed()} are the lines of every committed transaction. With {@code failAfterCommit}, the first write after
 * the first commit throws once (a failure after a completed checkpoint; {@link #failed()} tells whether it happened).
 */
final class MemoryTransactionalSink implements TwoPhaseCommitSink<Object, String> {
    private static final Map<String, List<String>> PRE_COMMITTED = new ConcurrentHashMap<>();
    private static final Map<String, List<String>> COMMITTED = new ConcurrentHashMap<>();
    private static final Map<String, AtomicBoolean> FAILED = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> COMMITS = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();
    private final boolean failAfterCommit;

    MemoryTransactionalSink(boolean failAfterCommit) {
        this.failAfterCommit = failAfterCommit;
        FAILED.put(id, new AtomicBoolean());
        COMMITS.put(id, new AtomicInteger());
    }

    /** The lines of every committed transaction. */
    List<String> committed() {
        List<String> lines = new ArrayList<>();
        COMMITTED.forEach((tx, l) -> {
            if (tx.startsWith(id + "/")) {
                lines.addAll(l);
            }
        });
        return lines;
    }

    boolean failed() {
        return FAILED.get(id).get();
    }

    /** How many transactions were committed (at least one per completed checkpoint and subtask). */
    int commits() {
        return COMMITS.get(id).get();
    }

    void clear() {
        PRE_COMMITTED.keySet().removeIf(tx -> tx.startsWith(id + "/"));
        COMMITTED.keySet().removeIf(tx -> tx.startsWith(id + "/"));
        FAILED.remove(id);
        COMMITS.remove(id);
    }

    @Override
    public TransactionalWriter<Object, String> createWriter(SinkContext context) {
        String prefix = id + "/" + context.subtaskIndex() + "/";
        return new TransactionalWriter<>() {
            private List<String> current = new ArrayList<>();

            @Override
            public void recover(List<String> committedByCheckpoint) {
                for (String tx : committedByCheckpoint) {
                    commit(tx);
                }
                PRE_COMMITTED.keySet().removeIf(tx -> tx.startsWith(prefix) && !COMMITTED.containsKey(tx)); // abort
            }

            @Override
            public void write(Object record) {
                if (failAfterCommit && COMMITS.get(id).get() > 0 && FAILED.get(id).compareAndSet(false, true)) {
                    throw new IllegalStateException("injected failure after a completed checkpoint");
                }
                current.add(record.toString());
            }

            @Override
            public String preCommit(long checkpointId) {
                String tx = prefix + UUID.randomUUID();
                PRE_COMMITTED.put(tx, current);
                current = new ArrayList<>();
                return tx;
            }

            @Override
            public void commit(String tx) {
                List<String> lines = PRE_COMMITTED.get(tx);
                if (lines != null && COMMITTED.putIfAbsent(tx, lines) == null) {
                    COMMITS.get(id).incrementAndGet();
                }
            }

            @Override
            public void close() {}
        };
    }
}
