package io.sluice.api.eventtime;

import java.io.Serializable;

/**
 * Creates a fresh {@link WatermarkGenerator} for each input that needs one (each source split, each subtask of an
 * {@code assignTimestampsAndWatermarks} operator). Part of the job graph, hence {@link Serializable}; each subtask
 * works with its own deserialized copy and calls it on its task thread.
 */
@FunctionalInterface
public interface WatermarkGeneratorSupplier<T> extends Serializable {

    WatermarkGenerator<T> createWatermarkGenerator();
}
