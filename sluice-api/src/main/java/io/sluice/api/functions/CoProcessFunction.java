package io.sluice.api.functions;

/**
 * A function of two connected streams. The two methods are called on one thread, never concurrently, in the
 * order records arrive; no order between the two inputs is promised.
 */
public interface CoProcessFunction<A, B, O> extends Function {

    void processElement1(A value, ProcessFunction.Context context, Collector<O> out) throws Exception;

    void processElement2(B value, ProcessFunction.Context context, Collector<O> out) throws Exception;
}
