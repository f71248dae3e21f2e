package io.sluice.bench;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobResult;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.sink.Sink;
import io.sluice.api.sink.SinkWriter;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;

/**
 * generator → map → filter → keyBy → running count, on the engine at parallelism 1 and 2, beside the same work as
 * a plain single-threaded Java loop (a HashMap for the counts). Runs loop and engine alternately, several
 * rounds, and prints the medians and the engine/loop ratio. Reported, never asserted.
 *
 * <p>Usage: {@code bin/sluice bench [records] [rounds]} (defaults 20,000,000 and 5).
 */
public final class PipelineBenchmark {
    private static final int KEYS = 10_000;

    public static void main(String[] args) throws Exception {
        long records = args.length > 0 ? Long.parseLong(args[0]) : 20_000_000L;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.printf(Locale.ROOT, "pipeline: generator -> map -> filter -> keyBy(%d keys) -> running count; %,d records, %d rounds%n",
                KEYS, records, rounds);
        System.out.printf(Locale.ROOT, "JDK %s, %d cores, max heap %d MiB%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        List<Double> loop = new ArrayList<>();
        List<Double> p1 = new ArrayList<>();
        List<Double> p2 = new ArrayList<>();
        runLoop(records / 4);
        runEngine(records / 4, 1); // warm-up
        for (int r = 0; r < rounds; r++) {
            loop.add(runLoop(records));
            p1.add(runEngine(records, 1));
            p2.add(runEngine(records, 2));
            System.out.printf(Locale.ROOT, "round %d: loop %,.0f rec/s  engine p=1 %,.0f rec/s  engine p=2 %,.0f rec/s%n",
                    r + 1, loop.getLast(), p1.getLast(), p2.getLast());
        }
        double l = median(loop);
        double e1 = median(p1);
        double e2 = median(p2);
        System.out.printf(Locale.ROOT, "RESULT loop_rps=%.0f engine_p1_rps=%.0f engine_p2_rps=%.0f ratio_p1=%.2f ratio_p2=%.2f "
                + "ratio_p1_min=%.2f ratio_p1_max=%.2f%n", l, e1, e2, e1 / l, e2 / l,
                Collections.min(p1) / Collections.max(loop), Collections.max(p1) / Collections.min(loop));
    }

    /** The same work without an engine: one thread, one loop, a HashMap of counts. */
    static double runLoop(long records) {
        long start = System.nanoTime();
        HashMap<Long, Long> counts = new HashMap<>();
        long checksum = 0;
        for (long i = 0; i < records; i++) {
            long mapped = i * 3 + 1;
            if (mapped % 5 == 0) {
                continue;
            }
            Long key = mapped % KEYS;
            long c = counts.merge(key, 1L, Long::sum);
            checksum += c;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (checksum == 42) {
            System.out.print(""); // keeps the loop's result alive
        }
        return records / seconds;
    }

    static double runEngine(long records, int parallelism) throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        env.generateSequence(0, records - 1)
                .map(i -> i * 3 + 1).name("Map")
                .filter(m -> m % 5 != 0).name("Filter")
                .keyBy(m -> m % KEYS)
                .process(new RunningCount(), Types.LONG).name("Count")
                .sinkTo(new Discard()).name("Discard");
        JobResult result = env.execute("pipeline-p" + parallelism);
        return records / (result.duration().toNanos() / 1e9);
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static final class RunningCount implements KeyedProcessFunction<Long, Long, Long> {
        private transient ValueState<Long> count;

        @Override
        public void open(RuntimeContext context) {
            count = context.getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(Long value, Context<Long> ctx, Collector<Long> out) {
            Long c = count.value();
            long next = c == null ? 1 : c + 1;
            count.update(next);
            out.collect(next);
        }
    }

    /** Consumes records without keeping them. */
    static final class Discard implements Sink<Long> {
        @Override
        public SinkWriter<Long> createWriter(io.sluice.api.sink.SinkContext context) {
            return new SinkWriter<>() {
                long checksum;

                @Override
                public void write(Long record) {
                    checksum += record;
                }

                @Override
                public void close() {
                    if (checksum == 42) {
                        System.out.print("");
                    }
                }
            };
        }
    }
}
