package io.sluice.api.functions;

/**
 * The most general one-input function: sees each record with its timestamp, may emit any number of records
 * to the main output and to side outputs.
 */
@FunctionalInterface
public interface ProcessFunction<I, O> extends Function {

    void processElement(I value, Context context, Collector<O> out) throws Exception;

    /** The per-record context. */
    interface Context extends ElementContext {}
}
