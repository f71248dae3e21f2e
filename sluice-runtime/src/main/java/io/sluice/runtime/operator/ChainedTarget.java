package io.sluice.runtime.operator;

/**
 * Hands records straight to the next operator of the chain: a method call, no channel, no copy. Wraps a failure
 * of that operator with its name, once.
 */
public final class ChainedTarget<IN> implements RecordTarget {
    private final OneInputOperator<IN> operator;
    private final OperatorCounters counters;
    private final String name;
    private long watermark = Long.MIN_VALUE;
    private boolean idle;

    public ChainedTarget(OneInputOperator<IN> operator, OperatorCounters counters, String name) {
        this.operator = operator;
        this.counters = counters;
        this.name = name;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void accept(Object record, long timestamp) {
        counters.recordsIn++;
        try {
            operator.processRecord((IN) record, timestamp);
        } catch (OperatorException e) {
            throw e;
        } catch (Exception | Error e) {
            throw new OperatorException(name, e);
        }
    }

    @Override
    public void acceptWatermark(long wm) {
        if (wm <= watermark) {
            return; // reached twice when both a main and a side output lead here
        }
        watermark = wm;
        try {
            operator.processWatermark(wm);
        } catch (OperatorException e) {
            throw e;
        } catch (Exception | Error e) {
            throw new OperatorException(name, e);
        }
    }

    @Override
    public void acceptWatermarkStatus(boolean newIdle) {
        if (newIdle == idle) {
            return; // reached twice when both a main and a side output lead here
        }
        idle = newIdle;
        try {
            operator.processWatermarkStatus(newIdle);
        } catch (OperatorException e) {
            throw e;
        } catch (Exception | Error e) {
            throw new OperatorException(name, e);
        }
    }
}
