package io.sluice.runtime.operator;

/** An operator with one input. */
public interface OneInputOperator<IN> extends StreamOperator {
    void processRecord(IN record, long timestamp) throws Exception;
}
