package io.sluice.connectors.kafka.sink;

import io.sluice.api.sink.SinkContext;
import io.sluice.api.sink.TwoPhaseCommitSink;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exactly-once writer: one Kafka transaction per subtask per checkpoint.
 * <ul>
 *   <li><b>write</b>: the first record after a pre-commit takes a producer from the subtask's pool of transactional
 *       ids ({@code prefix-subtask-n}, n &lt; pool size; {@code initTransactions} once per producer, which also aborts
 *       whatever an earlier run left open on that id) and begins a transaction.</li>
 *   <li><b>preCommit</b> (the barrier): flushes, so every record of the transaction is on the broker, and returns the
 *       transaction's handle (id, producer id, epoch, checkpoint); the producer waits for the commit.</li>
 *   <li><b>commit</b> (checkpoint complete): commits with the producer that wrote it, which goes back to the pool.</li>
 *   <li><b>recover</b>: commits the restored handles this subtask owns ({@code subtask % parallelism}: the runtime
 *       hands every subtask every handle after a rescale, a Kafka transaction must be committed by one producer) by
 *       resuming them ({@link TransactionalProducer#resume}); then aborts every open transaction of the prefix whose
 *       id this subtask owns, ids of an older, larger parallelism included ({@link LingeringTransactions}).</li>
 * </ul>
 * A fenced producer or an invalid transaction state is never swallowed outside {@code recover}: it means another
 * producer took the id over or the broker aborted the transaction (its timeout passed), and the data is gone.
 * {@code close} closes every producer without waiting, so that no pre-committed transaction is aborted by the
 * client's graceful close (the restored run commits it).
 *
 * <p>Threading: the task thread (commits and close at the job's end may come from the job's thread, never at once).
 */
final class ExactlyOnceWriter<T> implements TwoPhaseCommitSink.TransactionalWriter<T, KafkaTransaction> {
    private static final Logger LOG = LoggerFactory.getLogger(ExactlyOnceWriter.class);

    private final KafkaSink.Settings settings;
    private final KafkaRecordSerializer<T> serializer;
    private final SinkContext context;
    private final String name;
    private final SendErrors errors;
    /** Producers whose id has no open transaction, ready to begin one. */
    private final ArrayDeque<KafkaProducer<byte[], byte[]>> free = new ArrayDeque<>();
    /** Producers whose transaction is pre-committed, by transactional id. */
    private final Map<String, KafkaProducer<byte[], byte[]>> waiting = new HashMap<>();
    private final List<KafkaProducer<byte[], byte[]>> all = new ArrayList<>();
    private final Map<KafkaProducer<byte[], byte[]>, String> ids = new java.util.IdentityHashMap<>();
    private KafkaProducer<byte[], byte[]> current;
    private String currentId;

    ExactlyOnceWriter(KafkaSink.Settings settings, KafkaRecordSerializer<T> serializer, SinkContext context) {
        this.settings = settings;
        this.serializer = serializer;
        this.context = context;
        this.name = describe(context);
        this.errors = new SendErrors(name);
        warnOnShortTimeout();
    }

    static String describe(SinkContext context) {
        return "Kafka sink '" + context.operatorName() + "' (subtask " + (context.subtaskIndex() + 1) + "/"
                + context.parallelism() + ")";
    }

    private void warnOnShortTimeout() {
        long timeout = Long.parseLong(settings.producer().get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG));
        // The job's own bound (its checkpoint and restart settings), or the builder's if that says more.
        long recovery = Math.max(settings.expectedRecoveryMillis(), context.expectedRecoveryTime().toMillis());
        if (timeout < recovery) {
            LOG.warn("{}: transaction.timeout.ms ({} ms) is shorter than checkpoint interval + timeout + restart delay "
                    + "({} ms): a transaction the broker aborts after its timeout loses its records", name, timeout,
                    recovery);
        }
    }

    @Override
    public void recover(List<KafkaTransaction> restored) throws Exception {
        List<KafkaTransaction> mine = new ArrayList<>();
        for (KafkaTransaction tx : restored) {
            if (tx.subtask() % context.parallelism() == context.subtaskIndex()) {
                mine.add(tx);
            }
        }
        mine.sort(Comparator.comparingLong(KafkaTransaction::checkpointId));
        for (KafkaTransaction tx : mine) {
            commitResumed(tx);
        }
        LingeringTransactions.abort(settings, context, name);
    }

    /**
     * Commits a transaction a producer of an earlier run began. Fenced or an invalid state here means a later producer
     * used the id since: this transaction was committed before (by an earlier recovery of the same checkpoint), or
     * the broker aborted it after its timeout. The two cannot be told apart from here; the first is the normal case
     * after repeated failures, so it is logged, not thrown (docs/known-issues.md).
     */
    private void commitResumed(KafkaTransaction tx) {
        try (KafkaProducer<byte[], byte[]> producer = TransactionalProducer.create(settings.producerProperties(),
                tx.transactionalId())) {
            TransactionalProducer.resume(producer, tx.producerId(), tx.epoch());
            producer.commitTransaction();
            LOG.info("{}: committed the restored {}", name, tx);
        } catch (ProducerFencedException | InvalidProducerEpochException | InvalidTxnStateException e) {
            LOG.warn("{}: the restored {} was finished by a later producer of its id already (committed by an earlier "
                    + "recovery, or aborted by the broker after transaction.timeout.ms): {}", name, tx, e.toString());
        }
    }

    @Override
    public void write(T record) throws Exception {
        if (current == null) {
            begin();
        }
        current.send(serializer.serialize(record), errors);
    }

    private void begin() {
        errors.check("beginning a transaction");
        KafkaProducer<byte[], byte[]> producer = free.poll();
        if (producer == null) {
            if (all.size() >= settings.poolSize()) {
                throw new IllegalStateException(name + ": all " + settings.poolSize() + " transactional ids of the "
                        + "pool wait for a checkpoint to complete (checkpoints " + waitingCheckpoints() + " did not); "
                        + "raise transactionalIdPoolSize or fix what fails the checkpoints");
            }
            String id = settings.transactionalIdPrefix() + "-" + context.subtaskIndex() + "-" + all.size();
            producer = TransactionalProducer.create(settings.producerProperties(), id);
            all.add(producer);
            ids.put(producer, id);
            producer.initTransactions(); // fences and aborts what an earlier run left open on this id
        }
        producer.beginTransaction();
        current = producer;
        currentId = ids.get(producer);
    }

    private String waitingCheckpoints() {
        return String.valueOf(waiting.keySet());
    }

    @Override
    public KafkaTransaction preCommit(long checkpointId) {
        if (current == null) {
            return null; // nothing written since the last barrier: no transaction at all (FLINK-31363)
        }
        current.flush();
        errors.check("flushing at checkpoint " + checkpointId);
        KafkaTransaction tx = new KafkaTransaction(currentId, TransactionalProducer.producerId(current),
                TransactionalProducer.epoch(current), checkpointId, context.subtaskIndex());
        waiting.put(currentId, current);
        current = null;
        currentId = null;
        return tx;
    }

    @Override
    public void commit(KafkaTransaction tx) {
        KafkaProducer<byte[], byte[]> producer = waiting.remove(tx.transactionalId());
        if (producer == null) {
            // Not this writer's (handles of a restored checkpoint are committed in recover): resume it.
            commitResumed(tx);
            return;
        }
        try {
            producer.commitTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException | InvalidTxnStateException e) {
            throw new IllegalStateException(name + ": committing " + tx + " failed: another producer took the id "
                    + "over, or the broker aborted the transaction after transaction.timeout.ms; its records are lost",
                    e);
        }
        free.add(producer);
    }

    @Override
    public void close() {
        // Without waiting: a graceful close would abort the open transaction, and with it nothing a restore needs,
        // but it could also block on an unreachable broker. Pre-committed transactions stay open for the restore.
        Uninterrupted.run(() -> all.forEach(p -> p.close(Duration.ZERO)));
    }
}
