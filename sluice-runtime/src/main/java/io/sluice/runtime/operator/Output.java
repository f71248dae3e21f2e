package io.sluice.runtime.operator;

import io.sluice.api.functions.OutputTag;
import java.util.Map;

/**
 * An operator's outputs: the main one and its side outputs, each fanning out to zero or more targets (chained
 * operators and channel writers). Counts the records the operator emits. Task thread only.
 */
public final class Output {
    private static final RecordTarget[] NONE = new RecordTarget[0];

    private final RecordTarget[] main;
    private final RecordTarget single;
    private final Map<String, RecordTarget[]> sides;
    private final RecordTarget[] all;
    private final OperatorCounters counters;

    public Output(RecordTarget[] main, Map<String, RecordTarget[]> sides, RecordTarget[] all, OperatorCounters counters) {
        this.main = main;
        this.single = main.length == 1 ? main[0] : null;
        this.sides = sides;
        this.all = all;
        this.counters = counters;
    }

    public void emit(Object record, long timestamp) {
        counters.recordsOut++;
        if (single != null) {
            single.accept(record, timestamp);
        } else {
            for (RecordTarget t : main) {
                t.accept(record, timestamp);
            }
        }
    }

    public void emitSide(OutputTag<?> tag, Object record, long timestamp) {
        counters.recordsOut++;
        for (RecordTarget t : sides.getOrDefault(tag.id(), NONE)) {
            t.accept(record, timestamp);
        }
    }

    /** Watermarks go to every target, main and side. */
    public void emitWatermark(long watermark) {
        for (RecordTarget t : all) {
            t.acceptWatermark(watermark);
        }
    }

    /** Idle/active changes go where watermarks go. */
    public void emitWatermarkStatus(boolean idle) {
        for (RecordTarget t : all) {
            t.acceptWatermarkStatus(idle);
        }
    }
}
