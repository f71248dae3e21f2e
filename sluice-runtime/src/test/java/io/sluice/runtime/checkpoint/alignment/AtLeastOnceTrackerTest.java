package io.sluice.runtime.checkpoint.alignment;

import static io.sluice.runtime.checkpoint.alignment.Actions.assertActions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AtLeastOnceTrackerTest {

    private static BarrierAligner tracker(int channels) {
        return BarrierAligner.create(AlignmentMode.AT_LEAST_ONCE, channels);
    }

    @Test
    void nothingIsBlockedAndTheLastBarrierTriggers() {
        BarrierAligner tracker = tracker(3);

        assertSame(AlignmentAction.NONE, tracker.onBarrier(2, 1));
        assertSame(AlignmentAction.NONE, tracker.onBarrier(0, 1));
        for (int c = 0; c < 3; c++) {
            assertFalse(tracker.isBlocked(c));
        }
        assertTrue(tracker.hasPendingCheckpoint());
        assertActions(tracker.onBarrier(1, 1), "trigger 1");
        assertFalse(tracker.hasPendingCheckpoint());
    }

    @Test
    void aChannelMayRunSeveralBarriersAheadAndEachCheckpointStillCompletes() {
        BarrierAligner tracker = tracker(2);

        assertSame(AlignmentAction.NONE, tracker.onBarrier(0, 1));
        assertSame(AlignmentAction.NONE, tracker.onBarrier(0, 2));
        assertSame(AlignmentAction.NONE, tracker.onBarrier(0, 3));
        assertActions(tracker.onBarrier(1, 1), "trigger 1");
        assertActions(tracker.onBarrier(1, 2), "trigger 2");
        assertActions(tracker.onBarrier(1, 3), "trigger 3");
    }

    @Test
    void triggeringANewerCheckpointAbortsTheOlderPendingOnes() {
        BarrierAligner tracker = tracker(2);
        tracker.onBarrier(0, 1);
        tracker.onBarrier(0, 2);

        // Channel 1 skipped 1 (its producer declined it).
        assertActions(tracker.onBarrier(1, 2), "abort 1 SUBSUMED", "trigger 2");
        assertFalse(tracker.hasPendingCheckpoint());
    }

    @Test
    void aChannelThatDeliveredAndThenEndedIsNotCountedTwice() {
        BarrierAligner tracker = tracker(3);
        tracker.onBarrier(0, 1);
        assertSame(AlignmentAction.NONE, tracker.onEndOfInput(0));

        // Two barriers of three channels, but channel 2 is open and has not delivered: no trigger yet.
        assertSame(AlignmentAction.NONE, tracker.onBarrier(1, 1));
        assertActions(tracker.onBarrier(2, 1), "trigger 1");
    }

    @Test
    void anEndThatCompletesSeveralCheckpointsTriggersTheNewest() {
        BarrierAligner tracker = tracker(3);
        tracker.onBarrier(0, 1);
        tracker.onBarrier(1, 1);
        tracker.onBarrier(0, 2);
        tracker.onBarrier(1, 2);
        tracker.onBarrier(0, 3);

        assertActions(tracker.onEndOfInput(2), "abort 1 SUBSUMED", "trigger 2");
        assertTrue(tracker.hasPendingCheckpoint());
        assertActions(tracker.onBarrier(1, 3), "trigger 3");
    }

    @Test
    void theLastOpenChannelTriggersANewCheckpointAtOnceSubsumingPendingOnes() {
        BarrierAligner tracker = tracker(2);
        tracker.onBarrier(0, 1);
        tracker.onEndOfInput(0);

        assertActions(tracker.onBarrier(1, 2), "abort 1 SUBSUMED", "trigger 2");
    }

    @Test
    void beyondMaxPendingTheOldestGivesWay() {
        BarrierAligner tracker = BarrierAligner.atLeastOnce(2, 2);
        tracker.onBarrier(0, 1);
        tracker.onBarrier(0, 2);

        assertActions(tracker.onBarrier(0, 3), "abort 1 TOO_MANY_PENDING");
        assertSame(AlignmentAction.NONE, tracker.onBarrier(1, 1));
        assertActions(tracker.onBarrier(1, 2), "trigger 2");
        assertActions(tracker.onBarrier(1, 3), "trigger 3");
    }

    @Test
    void cancellingAPendingCheckpointAbortsOnlyIt() {
        BarrierAligner tracker = tracker(2);
        tracker.onBarrier(0, 1);
        tracker.onBarrier(0, 2);
        tracker.onBarrier(0, 3);

        assertActions(tracker.onCancelCheckpoint(2), "abort 2 CANCELLED");
        assertActions(tracker.onBarrier(1, 1), "trigger 1");
        assertSame(AlignmentAction.NONE, tracker.onBarrier(1, 2));
        assertActions(tracker.onBarrier(1, 3), "trigger 3");
    }

    @Test
    void aCancellationOfAFutureCheckpointMakesItsBarriersLate() {
        BarrierAligner tracker = tracker(2);
        tracker.onBarrier(0, 1);

        assertActions(tracker.onCancelCheckpoint(3), "abort 3 CANCELLED");
        assertEquals(3, tracker.latestCheckpointId());
        assertSame(AlignmentAction.NONE, tracker.onBarrier(0, 3));
        assertSame(AlignmentAction.NONE, tracker.onBarrier(1, 3));
        assertSame(AlignmentAction.NONE, tracker.onBarrier(0, 4));
        assertActions(tracker.onBarrier(1, 4), "abort 1 SUBSUMED", "trigger 4");
    }

    @Test
    void eventsACorrectTaskNeverProducesAreRejected() {
        BarrierAligner tracker = tracker(2);
        tracker.onBarrier(0, 2);

        assertThrows(IllegalStateException.class, () -> tracker.onBarrier(0, 2));
        assertThrows(IllegalStateException.class, () -> tracker.onBarrier(0, 1));
        tracker.onEndOfInput(1);
        assertThrows(IllegalStateException.class, () -> tracker.onEndOfInput(1));
        assertThrows(IllegalArgumentException.class, () -> BarrierAligner.atLeastOnce(2, 0));
    }
}
