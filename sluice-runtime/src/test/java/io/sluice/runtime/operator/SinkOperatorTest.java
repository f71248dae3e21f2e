package io.sluice.runtime.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.sink.Sink;
import io.sluice.api.sink.SinkContext;
import io.sluice.api.sink.SinkWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SinkOperator: writer created on open, every record written, finish on endInput, close always. */
class SinkOperatorTest {

    /** A sink that logs every call its writer gets, and what context it was created with. */
    static final class LoggingSink implements Sink<String> {
        final List<String> calls = new ArrayList<>();
        String failOn;

        @Override
        public SinkWriter<String> createWriter(SinkContext context) {
            calls.add("create " + context.operatorName() + " " + context.subtaskIndex() + "/" + context.parallelism());
            return new SinkWriter<>() {
                @Override
                public void write(String record) {
                    if (record.equals(failOn)) {
                        throw new IllegalStateException("cannot write " + record);
                    }
                    calls.add("write " + record);
                }

                @Override
                public void finish() {
                    calls.add("finish");
                }

                @Override
                public void close() {
                    calls.add("close");
                }
            };
        }
    }

    @Test
    void writesEveryRecordThenFinishesOnEndInputThenCloses() throws Exception {
        OperatorFixture f = OperatorFixture.plain();
        LoggingSink sink = new LoggingSink();
        SinkOperator<String> op = new SinkOperator<>(sink);
        op.open(f.setup);
        op.processRecord("a", 1L);
        op.processWatermark(5L);
        op.processRecord("b", Long.MIN_VALUE);
        op.endInput();
        op.close();
        assertEquals(List.of("create " + OperatorFixture.NAME + " 0/1", "write a", "write b", "finish", "close"), sink.calls);
        assertEquals(0, f.counters.recordsOut, "a sink emits nothing");
    }

    @Test
    void afterAFailureItClosesWithoutFinishing() throws Exception {
        OperatorFixture f = OperatorFixture.plain();
        LoggingSink sink = new LoggingSink();
        sink.failOn = "bad";
        SinkOperator<String> op = new SinkOperator<>(sink);
        op.open(f.setup);
        op.processRecord("ok", 0L);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> op.processRecord("bad", 0L));
        assertEquals("cannot write bad", e.getMessage());
        op.close(); // what a failing task does: close, never endInput
        assertEquals(List.of("create " + OperatorFixture.NAME + " 0/1", "write ok", "close"), sink.calls);
    }

    @Test
    void closeWithoutOpenIsHarmless() throws Exception {
        LoggingSink sink = new LoggingSink();
        SinkOperator<String> op = new SinkOperator<>(sink);
        op.close(); // a task whose earlier operator failed to open still closes every operator
        assertTrue(sink.calls.isEmpty());
    }
}
