package io.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.graph.RestartStrategy;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.source.SequenceSource;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.connectors.file.TransactionalFileSink;
import io.sluice.testing.ExactlyOnceVerifier;
import io.sluice.testing.Tag;
import io.sluice.testing.Tagged;
import io.sluice.testing.Tagging;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The example of "Verifying exactly-once output" in docs/user-guide.md, kept compiling and passing here. */
class VerifierGuideExampleTest {

    record Order(String customer, long cents) {}

    /** Your function, unchanged: each order with its customer's running total. */
    static final class RunningTotal implements KeyedProcessFunction<String, Order, String> {
        private transient ValueState<Long> total;

        @Override
        public void open(RuntimeContext context) {
            total = context.getState(new ValueStateDescriptor<>("total", Types.LONG, 0L));
        }

        @Override
        public void processElement(Order order, Context<String> ctx, Collector<String> out) {
            total.update(total.value() + order.cents());
            out.collect(order.customer() + " " + total.value());
        }
    }

    /** Orders made from numbers; each number in FAIL_AT fails the job once (static: survives the restarts). */
    static final Set<Long> FAIL_AT = ConcurrentHashMap.newKeySet();

    static Order order(long n) {
        if (FAIL_AT.remove(n)) {
            throw new IllegalStateException("injected failure at order " + n);
        }
        return new Order("c" + n % 100, n % 1_000);
    }

    @Test
    @Timeout(60)
    void runningTotalsAreExactlyOnceAcrossFailures(@TempDir Path tmp) throws Exception {
        FAIL_AT.addAll(List.of(5_000L, 12_000L));
        ExactlyOnceVerifier verifier = ExactlyOnceVerifier.open(tmp.resolve("ledger"));
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2)
                .enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(50)).withDirectory(tmp.resolve("checkpoints").toString()))
                .setRestartStrategy(RestartStrategy.fixedDelay(10, Duration.ofMillis(10)));
        verifier.fromSource(env, new SequenceSource(1, 20_000, 10_000), "orders")   // Tagged<Long>: value + (split, offset)
                .map(Tagging.map(n -> order(n)), Tagged.type(Types.of(Order.class)))
                .keyBy(o -> o.value().customer(), Types.STRING)
                .process(Tagging.process(new RunningTotal()), Tagged.type(Types.STRING)) // outputs keep their order's tag
                .sinkTo(verifier.sink(new TransactionalFileSink<Tagged<String>>(tmp.resolve("out").toString())));
        env.execute("orders under test");

        List<String> lines = TransactionalFileSink.readCommitted(tmp.resolve("out")); // "c17 17<TAB>orders/seq-0#16"
        verifier.verify(lines.stream().map(Tag::fromLine).toList()).assertExactlyOnce(); // what the files hold
        verifier.verify().assertExactlyOnce();                                        // what the runtime committed

        assertEquals(Set.of(), FAIL_AT, "both failures happened");
        assertEquals(20_000, lines.size());
    }
}
