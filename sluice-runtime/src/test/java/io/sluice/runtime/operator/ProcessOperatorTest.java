package io.sluice.runtime.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.functions.OutputTag;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.ProcessFunction;
import io.sluice.api.types.Types;
import io.sluice.runtime.operator.OperatorFixture.Rec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ProcessOperator: main output, side outputs through {@code ctx.output}, timestamps and the watermark. */
class ProcessOperatorTest {

    static final OutputTag<String> SMALL = new OutputTag<>("small", Types.STRING);
    static final OutputTag<Integer> NEGATIVE = new OutputTag<>("negative", Types.INT);

    /** Negative values to "negative", values below 10 as strings to "small", everything else doubled to main. */
    static final ProcessFunction<Integer, Integer> ROUTER = (Integer v, ProcessFunction.Context ctx, Collector<Integer> out) -> {
        if (v < 0) {
            ctx.output(NEGATIVE, v);
        } else if (v < 10) {
            ctx.output(SMALL, "s" + v);
        } else {
            out.collect(v * 2);
        }
    };

    @Test
    void routesRecordsToMainAndSideOutputsWithTheRecordTimestamp() throws Exception {
        OperatorFixture f = OperatorFixture.plain(SMALL.id(), NEGATIVE.id());
        ProcessOperator<Integer, Integer> op = new ProcessOperator<>(ROUTER);
        op.open(f.setup);
        int[] input = {5, -1, 20, 9, 11, -7, 0, 100};
        List<Rec> main = new ArrayList<>();
        List<Rec> small = new ArrayList<>();
        List<Rec> negative = new ArrayList<>();
        for (int i = 0; i < input.length; i++) {
            int v = input[i];
            long ts = 1000L * i;
            op.processRecord(v, ts);
            if (v < 0) {
                negative.add(new Rec(v, ts));
            } else if (v < 10) {
                small.add(new Rec("s" + v, ts));
            } else {
                main.add(new Rec(v * 2, ts));
            }
        }
        assertEquals(main, f.main.records());
        assertEquals(small, f.side(SMALL.id()).records());
        assertEquals(negative, f.side(NEGATIVE.id()).records());
        assertEquals(input.length, f.counters.recordsOut, "every record went to exactly one output");
    }

    @Test
    void sideOutputTagsMatchById() throws Exception {
        OperatorFixture f = OperatorFixture.plain("late");
        OutputTag<Long> sameIdOtherInstance = new OutputTag<>("late", Types.LONG);
        ProcessOperator<Long, Long> op = new ProcessOperator<>(
                (Long v, ProcessFunction.Context ctx, Collector<Long> out) -> ctx.output(sameIdOtherInstance, v));
        op.open(f.setup);
        op.processRecord(3L, 0L);
        assertEquals(List.of(3L), f.side("late").values());
        assertTrue(f.main.values().isEmpty());
    }

    @Test
    void contextSeesTheCurrentTimestampAndWatermark() throws Exception {
        OperatorFixture f = OperatorFixture.plain();
        ProcessOperator<String, String> op = new ProcessOperator<>(
                (String v, ProcessFunction.Context ctx, Collector<String> out) ->
                        out.collect(v + "@" + ctx.timestamp() + "/wm" + ctx.currentWatermark()));
        op.open(f.setup);
        op.processRecord("a", 7L);
        op.processWatermark(10L);
        op.processRecord("b", Long.MIN_VALUE);
        op.processWatermark(20L);
        op.processRecord("c", 25L);
        assertEquals(List.of("a@7/wm" + Long.MIN_VALUE, "b@" + Long.MIN_VALUE + "/wm10", "c@25/wm20"), f.main.values());
        assertEquals(List.of(10L, 20L), f.main.watermarks());
        // emitted records carry the current record's timestamp
        assertEquals(List.of(7L, Long.MIN_VALUE, 25L), f.main.records().stream().map(Rec::timestamp).toList());
    }

    @Test
    void emitsSeveralRecordsPerInputToBothOutputs() throws Exception {
        OperatorFixture f = OperatorFixture.plain("copy");
        OutputTag<Integer> copy = new OutputTag<>("copy", Types.INT);
        ProcessOperator<Integer, Integer> op = new ProcessOperator<>(
                (Integer v, ProcessFunction.Context ctx, Collector<Integer> out) -> {
                    for (int i = 0; i < v; i++) {
                        out.collect(i);
                        ctx.output(copy, -i);
                    }
                });
        op.open(f.setup);
        op.processRecord(3, 1L);
        op.processRecord(0, 2L);
        op.processRecord(2, 3L);
        assertEquals(List.of(0, 1, 2, 0, 1), f.main.values());
        assertEquals(List.of(0, -1, -2, 0, -1), f.side("copy").values());
        assertEquals(10, f.counters.recordsOut);
    }
}
