package io.sluice.connectors.kafka.sink;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.internals.TransactionManager;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The one place that reaches into the Kafka client's internals: reading a transactional producer's id and epoch, and
 * resuming a transaction another process began, from its transactional id, producer id and epoch, so that it can be
 * committed after a crash. kafka-clients 4.4.0 has no public API for this (KIP-939's {@code prepareTransaction} /
 * {@code completeTransaction} were taken out of the client again, KAFKA-19414), so it is done as Flink's connector
 * does it: through reflection on the producer's {@code TransactionManager} (docs/kafka.md, "How a transaction is
 * resumed"). Keep every such access here, so that the mechanism can change in one place.
 *
 * <p>Threading: the caller's; a producer is used by one thread at a time.
 */
final class TransactionalProducer {
    private TransactionalProducer() {}

    /** A new producer for {@code transactionalId}; it has not called {@code initTransactions}. */
    static KafkaProducer<byte[], byte[]> create(Properties base, String transactionalId) {
        Properties props = new Properties();
        props.putAll(base);
        props.setProperty("transactional.id", transactionalId);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static long producerId(KafkaProducer<?, ?> producer) {
        return (long) read(idAndEpoch(producer), "producerId");
    }

    static short epoch(KafkaProducer<?, ?> producer) {
        return (short) read(idAndEpoch(producer), "epoch");
    }

    /**
     * Puts {@code producer} (fresh, without {@code initTransactions}) into the state of the transaction with this
     * producer id and epoch, with records sent: {@code commitTransaction} then sends the commit for it.
     */
    static void resume(KafkaProducer<?, ?> producer, long producerId, short epoch) {
        Object manager = read(producer, KafkaProducer.class, "transactionManager");
        try {
            synchronized (manager) {
                transition(manager, "INITIALIZING");
                Object partitions = read(manager, TransactionManager.class, "txnPartitionMap");
                Method reset = partitions.getClass().getDeclaredMethod("reset");
                reset.setAccessible(true);
                reset.invoke(partitions);
                Field idAndEpoch = TransactionManager.class.getDeclaredField("producerIdAndEpoch");
                Constructor<?> make = idAndEpoch.getType().getDeclaredConstructor(long.class, short.class);
                make.setAccessible(true);
                write(manager, "producerIdAndEpoch", make.newInstance(producerId, epoch));
                transition(manager, "READY");
                transition(manager, "IN_TRANSACTION");
                // Only a transaction that has sent records sends an EndTxn request on commit; every transaction a
                // checkpoint stores had records.
                write(manager, "transactionStarted", true);
            }
        } catch (ReflectiveOperationException e) {
            throw incompatible(e);
        }
    }

    private static Object idAndEpoch(KafkaProducer<?, ?> producer) {
        Object manager = read(producer, KafkaProducer.class, "transactionManager");
        return read(manager, TransactionManager.class, "producerIdAndEpoch");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void transition(Object manager, String state) throws ReflectiveOperationException {
        Class<Enum> states = (Class<Enum>) Class.forName(TransactionManager.class.getName() + "$State");
        Method to = TransactionManager.class.getDeclaredMethod("transitionTo", states);
        to.setAccessible(true);
        to.invoke(manager, Enum.valueOf(states, state));
    }

    private static Object read(Object target, String field) {
        return read(target, target.getClass(), field);
    }

    private static Object read(Object target, Class<?> type, String name) {
        try {
            Field f = type.getDeclaredField(name);
            f.setAccessible(true);
            return f.get(target);
        } catch (ReflectiveOperationException e) {
            throw incompatible(e);
        }
    }

    private static void write(Object target, String name, Object value) throws ReflectiveOperationException {
        Field f = TransactionManager.class.getDeclaredField(name);
        f.setAccessible(true);
        f.set(target, value);
    }

    private static IllegalStateException incompatible(Exception e) {
        return new IllegalStateException("this kafka-clients version does not have the internals the Kafka sink "
                + "resumes transactions through (tested with 4.4.0): " + e, e);
    }
}
