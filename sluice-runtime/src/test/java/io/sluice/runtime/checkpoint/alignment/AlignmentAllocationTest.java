package io.sluice.runtime.checkpoint.alignment;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Events that call for no action allocate nothing: a checkpoint costs its action (and an alignment state), no more. */
class AlignmentAllocationTest {

    @ParameterizedTest
    @EnumSource(AlignmentMode.class)
    void onlyTriggeringAllocates(AlignmentMode mode) {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                || !threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
            assumeTrue(false, "no per-thread allocation counter in this JVM");
            return;
        }
        int channels = 64;
        BarrierAligner aligner = BarrierAligner.create(mode, channels);
        long id = align(aligner, channels, 1, 5_000);
        int checkpoints = 10_000;

        long before = threads.getCurrentThreadAllocatedBytes();
        align(aligner, channels, id, checkpoints);
        long bytes = threads.getCurrentThreadAllocatedBytes() - before;

        // 63 of every 64 events call for no action; even 16 bytes each would be over 1000 bytes per checkpoint.
        assertTrue(bytes < checkpoints * 100L, bytes + " bytes for " + checkpoints + " checkpoints of " + channels
                + " barriers each");
    }

    /** Aligns checkpoints {@code first ..} on every channel, in a rotating order; returns the next id. */
    private static long align(BarrierAligner aligner, int channels, long first, int checkpoints) {
        long id = first;
        for (int k = 0; k < checkpoints; k++, id++) {
            AlignmentAction last = AlignmentAction.NONE;
            for (int i = 0; i < channels; i++) {
                last = aligner.onBarrier((i + k) % channels, id);
            }
            if (!(last instanceof AlignmentAction.TriggerCheckpoint t) || t.checkpointId() != id) {
                throw new AssertionError("expected the trigger of " + id + ", got " + last);
            }
        }
        return id;
    }
}
