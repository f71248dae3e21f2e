package io.sluice.api.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The periodic watermark interval in the job settings, and that the older constructor still works. */
class JobConfigWatermarkIntervalTest {

    @Test
    void defaultsTo200MillisAlsoThroughTheFourArgumentConstructor() {
        assertEquals(200, JobConfig.defaults().autoWatermarkIntervalMillis());
        assertEquals(200, new JobConfig(64, 100, 4, 10).autoWatermarkIntervalMillis());
    }

    @Test
    void everyWitherKeepsTheInterval() {
        JobConfig c = JobConfig.defaults().withAutoWatermarkIntervalMillis(7);
        assertEquals(new JobConfig(128, 512, 8, 50, 7), c);
        assertEquals(7, c.withMaxParallelism(4).withBatchSize(3).withChannelCapacity(2).withFlushIntervalMillis(1)
                .autoWatermarkIntervalMillis());
        assertEquals(0, c.withAutoWatermarkIntervalMillis(0).autoWatermarkIntervalMillis(), "0 turns periodic emission off");
    }

    @Test
    void aNegativeIntervalIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> JobConfig.defaults().withAutoWatermarkIntervalMillis(-1));
    }
}
