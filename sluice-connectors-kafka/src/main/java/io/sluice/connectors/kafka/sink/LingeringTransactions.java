package io.sluice.connectors.kafka.sink;

import io.sluice.api.sink.SinkContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aborts the open transactions of a prefix that one sink subtask owns: those of ids {@code prefix-j-n} with
 * {@code j % parallelism == subtask}, so ids of an older, larger parallelism are cleaned up too (FLINK-40626) and
 * no two subtasks touch one id. They are found by listing the broker's transactions (no probing of guessed ids,
 * FLIP-511), and aborted by {@code initTransactions} on a producer of that id, which fences the old producer and
 * aborts its transaction: a lingering transaction would pin the last stable offset, and every read_committed
 * consumer with it (FLINK-23854).
 */
final class LingeringTransactions {
    private static final Logger LOG = LoggerFactory.getLogger(LingeringTransactions.class);
    private static final long TIMEOUT_SECONDS = 60;

    private LingeringTransactions() {}

    static void abort(KafkaSink.Settings settings, SinkContext context, String name) throws Exception {
        List<String> ids = owned(list(settings), settings.transactionalIdPrefix(), context);
        for (String id : ids) {
            try (KafkaProducer<byte[], byte[]> producer = TransactionalProducer.create(settings.producerProperties(),
                    id)) {
                producer.initTransactions();
            }
        }
        if (!ids.isEmpty()) {
            LOG.info("{}: aborted {} open transaction(s) left by earlier runs: {}", name, ids.size(), ids);
        }
    }

    private static Collection<TransactionListing> list(KafkaSink.Settings settings) throws Exception {
        Properties props = new Properties();
        props.putAll(settings.producer());
        try (Admin admin = Admin.create(adminProperties(props))) {
            return admin.listTransactions(new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING,
                            TransactionState.PREPARE_COMMIT, TransactionState.PREPARE_ABORT)))
                    .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Only the settings an admin client knows, so that it does not warn about producer ones. */
    private static Properties adminProperties(Properties producer) {
        Properties admin = new Properties();
        for (String key : producer.stringPropertyNames()) {
            if (key.startsWith("bootstrap.") || key.startsWith("security.") || key.startsWith("sasl.")
                    || key.startsWith("ssl.") || key.startsWith("client.dns")) {
                admin.setProperty(key, producer.getProperty(key));
            }
        }
        return admin;
    }

    static List<String> owned(Collection<TransactionListing> listings, String prefix, SinkContext context) {
        Pattern ours = Pattern.compile(Pattern.quote(prefix) + "-(\\d{1,9})-(\\d{1,9})");
        List<String> out = new ArrayList<>();
        for (TransactionListing t : listings) {
            Matcher m = ours.matcher(t.transactionalId());
            if (m.matches() && Integer.parseInt(m.group(1)) % context.parallelism() == context.subtaskIndex()) {
                out.add(t.transactionalId());
            }
        }
        out.sort(null);
        return out;
    }
}
