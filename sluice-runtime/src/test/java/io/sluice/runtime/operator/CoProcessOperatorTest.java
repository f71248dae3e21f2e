package io.sluice.runtime.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.api.functions.OutputTag;
import io.sluice.api.functions.CoProcessFunction;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.ProcessFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.types.Types;
import io.sluice.runtime.operator.OperatorFixture.Rec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CoProcessOperator: each input reaches its own method; outputs keep the record's timestamp. */
class CoProcessOperatorTest {

    static final OutputTag<String> ODD = new OutputTag<>("odd", Types.STRING);

    static final class Tagger implements CoProcessFunction<Long, String, String> {
        int opened;
        int closed;

        @Override
        public void open(RuntimeContext context) {
            opened++;
        }

        @Override
        public void processElement1(Long value, ProcessFunction.Context ctx, Collector<String> out) {
            if (value % 2 != 0) {
                ctx.output(ODD, "1:" + value);
            } else {
                out.collect("1:" + value + "@" + ctx.timestamp());
            }
        }

        @Override
        public void processElement2(String value, ProcessFunction.Context ctx, Collector<String> out) {
            out.collect("2:" + value + "@" + ctx.timestamp());
        }

        @Override
        public void close() {
            closed++;
        }
    }

    @Test
    void eachInputGoesToItsOwnMethod() throws Exception {
        OperatorFixture f = OperatorFixture.plain(ODD.id());
        Tagger fn = new Tagger();
        CoProcessOperator<Long, String, String> op = new CoProcessOperator<>(fn);
        op.open(f.setup);
        op.processRecord1(2L, 10L);
        op.processRecord2("x", 11L);
        op.processRecord1(3L, 12L);
        op.processRecord2("y", Long.MIN_VALUE);
        op.processRecord1(4L, 13L);
        op.processWatermark(50L);
        op.close();

        assertEquals(List.of(new Rec("1:2@10", 10L), new Rec("2:x@11", 11L), new Rec("2:y@" + Long.MIN_VALUE, Long.MIN_VALUE),
                new Rec("1:4@13", 13L)), f.main.records());
        assertEquals(List.of(new Rec("1:3", 12L)), f.side(ODD.id()).records());
        assertEquals(List.of(50L), f.main.watermarks());
        assertEquals(5, f.counters.recordsOut);
        assertEquals(1, fn.opened);
        assertEquals(1, fn.closed);
    }
}
