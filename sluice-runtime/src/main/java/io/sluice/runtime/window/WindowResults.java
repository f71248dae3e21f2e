package io.sluice.runtime.window;

/** Where a firing window's result goes: the window function, or straight to the output. Task thread only. */
interface WindowResults {

    /** The firing window's result: the single pre-aggregated value, or the window's records. */
    void emit(Iterable<?> values) throws Exception;
}
