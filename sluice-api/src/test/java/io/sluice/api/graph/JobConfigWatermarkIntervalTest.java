package io.sluice.api.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The periodic watermark interval in the job settings. */
class JobConfigWatermarkIntervalTest {

    @Test
    void defaultsTo200Millis() {
        assertEquals(200, JobConfig.defaults().autoWatermarkIntervalMillis());
        assertEquals(200, JobConfig.defaults().withMaxParallelism(64).autoWatermarkIntervalMillis());
    }

    @Test
    void everyWitherKeepsTheInterval() {
        JobConfig c = JobConfig.defaults().withAutoWatermarkIntervalMillis(7);
        assertEquals(new JobConfig(128, 7, "heap", Map.of()), c);
        assertEquals(7, c.withMaxParallelism(4).withStateBackend("rocksdb").withStateBackendOption("rocksdb.memory", "64mb")
                .autoWatermarkIntervalMillis());
        assertEquals(0, c.withAutoWatermarkIntervalMillis(0).autoWatermarkIntervalMillis(), "0 turns periodic emission off");
    }

    @Test
    void aNegativeIntervalIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> JobConfig.defaults().withAutoWatermarkIntervalMillis(-1));
    }
}
