package io.sluice.runtime.operator;

import io.sluice.api.functions.Function;
import io.sluice.api.sink.SinkContext;
import io.sluice.api.sink.TwoPhaseCommitSink;
import io.sluice.api.state.ListState;
import io.sluice.api.state.ListStateDescriptor;
import io.sluice.api.types.Types;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Drives a {@link TwoPhaseCommitSink}: pre-commits on each checkpoint's barrier and keeps the handle in operator state
 * (so the checkpoint holds it), commits every handle up to a checkpoint when it completes, and on restore hands the
 * restored handles to the writer's {@code recover}, which commits them and aborts the rest. The handles are kept in
 * <em>union</em> state: after a rescale every subtask sees every restored handle, so none is lost between subtasks and
 * no subtask aborts a file another one must commit (commit is idempotent). At the end of a bounded input the last
 * transactions are pre-committed and committed only once the whole job has finished successfully.
 */
public final class TransactionalSinkOperator<T, TX extends Serializable> extends AbstractOperator
        implements OneInputOperator<T>, SinkContext {

    /** A pre-committed transaction and the checkpoint it belongs to. */
    private record Pending(long checkpointId, Serializable transaction) implements Serializable {}

    private static final ListStateDescriptor<byte[]> PENDING = new ListStateDescriptor<>("pending-transactions", Types.BYTES);

    private final TwoPhaseCommitSink<T, TX> sink;
    private final java.time.Duration expectedRecovery;
    private final TreeMap<Long, TX> pending = new TreeMap<>();
    private TwoPhaseCommitSink.TransactionalWriter<T, TX> writer;
    private ListState<byte[]> pendingState;
    /** The finalizer closes the writer after the job's last commits. */
    private boolean deferredClose;

    public TransactionalSinkOperator(TwoPhaseCommitSink<T, TX> sink) {
        this(sink, java.time.Duration.ZERO);
    }

    /** @param expectedRecovery what {@link #expectedRecoveryTime()} tells the sink (the job's settings' bound) */
    public TransactionalSinkOperator(TwoPhaseCommitSink<T, TX> sink, java.time.Duration expectedRecovery) {
        this.sink = sink;
        this.expectedRecovery = expectedRecovery;
    }

    @Override
    public java.time.Duration expectedRecoveryTime() {
        return expectedRecovery;
    }

    @Override
    protected Function function() {
        return null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void open(OperatorSetup setup) throws Exception {
        super.open(setup);
        pendingState = setup.operatorState().unionListState(PENDING);
        List<TX> restored = new ArrayList<>();
        for (byte[] bytes : pendingState.get()) {
            restored.add((TX) decode(bytes).transaction());
        }
        pendingState.clear();
        writer = sink.createWriter(this);
        writer.recover(restored);
    }

    @Override
    public void processRecord(T record, long ts) throws Exception {
        writer.write(record);
    }

    @Override
    public void snapshotState(long checkpointId) throws Exception {
        TX transaction = writer.preCommit(checkpointId);
        if (transaction != null) {
            pending.put(checkpointId, transaction);
        }
        List<byte[]> handles = new ArrayList<>(pending.size());
        for (Map.Entry<Long, TX> e : pending.entrySet()) {
            handles.add(encode(new Pending(e.getKey(), e.getValue())));
        }
        pendingState.update(handles);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        Iterator<Map.Entry<Long, TX>> it = pending.headMap(checkpointId, true).entrySet().iterator();
        while (it.hasNext()) {
            writer.commit(it.next().getValue());
            it.remove();
        }
    }

    /**
     * The input ended: the last transaction is pre-committed, and every pending one is committed only when the whole job
     * has finished successfully. A failure before that restores the latest checkpoint, whose recovery aborts them.
     */
    @Override
    public void endInput() throws Exception {
        TX last = writer.preCommit(Long.MAX_VALUE);
        if (last != null) {
            pending.put(Long.MAX_VALUE, last);
        }
        List<TX> toCommit = new ArrayList<>(pending.values());
        List<byte[]> handles = new ArrayList<>(pending.size());
        for (Map.Entry<Long, TX> e : pending.entrySet()) {
            handles.add(encode(new Pending(e.getKey(), e.getValue())));
        }
        pendingState.update(handles);
        setup.finalizer().finalOperatorState(setup.operatorState().snapshot()); // the final checkpoint holds them
        pending.clear();
        TwoPhaseCommitSink.TransactionalWriter<T, TX> w = writer;
        deferredClose = true;
        setup.finalizer().atJobSuccess(() -> {
            for (TX transaction : toCommit) {
                w.commit(transaction);
            }
            w.close();
        });
    }

    @Override
    public void close() throws Exception {
        if (writer != null && !deferredClose) {
            writer.close(); // after a failure: pre-committed files stay for the restored run to commit or abort
        }
    }

    private static byte[] encode(Pending p) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(p);
        }
        return bytes.toByteArray();
    }

    private Pending decode(byte[] bytes) throws IOException, ClassNotFoundException {
        return (Pending) io.sluice.runtime.serialization.UserClassObjectInput.read(bytes, sink.getClass().getClassLoader());
    }
}
