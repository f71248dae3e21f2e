package io.sluice.cli.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** After a kill a round resumes from a checkpoint, starts afresh, or sees that the job had finished. */
class SoakNextRunTest {
    @Test
    void aCheckpointIsResumedFrom() {
        assertEquals(NextRun.RESUME, NextRun.after(false, true, true));
        assertEquals(NextRun.RESUME, NextRun.after(false, true, false));
    }

    @Test
    void withoutACheckpointTheJobStartsAfreshUnlessItsOutputWasCommitted() {
        assertEquals(NextRun.FRESH, NextRun.after(true, false, false));
        assertEquals(NextRun.FRESH, NextRun.after(false, false, false));
        // Seed 3767177623773848085 (round 83 of seed 7): killed after its final commit, restarted afresh, all lines x2.
        assertEquals(NextRun.FINISHED, NextRun.after(false, false, true));
    }
}
