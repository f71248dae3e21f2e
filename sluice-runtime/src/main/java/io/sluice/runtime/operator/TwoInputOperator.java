package io.sluice.runtime.operator;

/** An operator with two inputs. */
public interface TwoInputOperator<A, B> extends StreamOperator {
    void processRecord1(A record, long timestamp) throws Exception;

    void processRecord2(B record, long timestamp) throws Exception;
}
