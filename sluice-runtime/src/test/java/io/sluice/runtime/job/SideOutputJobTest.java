package io.sluice.runtime.job;

import static io.sluice.runtime.job.Multisets.assertSameMultiset;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.api.DataStream;
import io.sluice.api.functions.OutputTag;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobResult;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.ProcessFunction;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.types.Types;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A process function routing records to two side outputs and its main output. */
class SideOutputJobTest {

    static final OutputTag<Long> FIZZ = new OutputTag<>("fizz", Types.LONG);
    static final OutputTag<String> BUZZ = new OutputTag<>("buzz", Types.STRING);
    static final long N = 30_000;

    /** Multiples of 3 to FIZZ, multiples of 5 (as text) to BUZZ, multiples of 15 to both, the rest to main. */
    static final class FizzBuzz implements ProcessFunction<Long, Long> {
        @Override
        public void processElement(Long v, Context ctx, Collector<Long> out) {
            boolean routed = false;
            if (v % 3 == 0) {
                ctx.output(FIZZ, v);
                routed = true;
            }
            if (v % 5 == 0) {
                ctx.output(BUZZ, "buzz" + v);
                routed = true;
            }
            if (!routed) {
                out.collect(v);
            }
        }
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void everyRecordReachesExactlyTheOutputsItWasRoutedTo(int parallelism) throws Exception {
        List<Long> main = new ArrayList<>();
        List<Long> fizz = new ArrayList<>();
        List<String> buzz = new ArrayList<>();
        for (long v = 1; v <= N; v++) {
            if (v % 3 == 0) {
                fizz.add(v * 10);
            }
            if (v % 5 == 0) {
                buzz.add("buzz" + v);
            }
            if (v % 3 != 0 && v % 5 != 0) {
                main.add(v);
            }
        }

        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        DataStream<Long> routed = env.generateSequence(1, N).name("Numbers").process(new FizzBuzz(), Types.LONG).name("Route");
        CollectSink<Long> mainSink = new CollectSink<>();
        CollectSink<Long> fizzSink = new CollectSink<>();
        CollectSink<String> buzzSink = new CollectSink<>();
        routed.sinkTo(mainSink).name("MainOut");
        // a chained map on one side output; the other side output crosses a channel to parallelism 1
        routed.getSideOutput(FIZZ).map(v -> v * 10).name("Times10").sinkTo(fizzSink).name("FizzOut");
        routed.getSideOutput(BUZZ).sinkTo(buzzSink).name("BuzzOut").setParallelism(1);
        JobResult result = env.execute("side-outputs");

        String where = "parallelism " + parallelism;
        assertSameMultiset(main, mainSink.results(), where + ": main output");
        assertSameMultiset(fizz, fizzSink.results(), where + ": fizz");
        assertSameMultiset(buzz, buzzSink.results(), where + ": buzz");
        mainSink.clear();
        fizzSink.clear();
        buzzSink.clear();

        assertEquals(N, result.operator("Route").recordsIn(), where);
        assertEquals(main.size() + fizz.size() + buzz.size(), result.operator("Route").recordsOut(), where);
        assertEquals(fizz.size(), result.operator("Times10").recordsIn(), where);
        assertEquals(buzz.size(), result.operator("BuzzOut").recordsIn(), where);
        assertEquals(main.size(), result.operator("MainOut").recordsIn(), where);
    }
}
