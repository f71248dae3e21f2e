package io.sluice.runtime.checkpoint.alignment;

import static io.sluice.runtime.checkpoint.alignment.Actions.assertActions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExactlyOnceAlignerTest {

    private static BarrierAligner aligner(int channels) {
        return BarrierAligner.create(AlignmentMode.EXACTLY_ONCE, channels);
    }

    private static List<Integer> blocked(BarrierAligner aligner, int channels) {
        List<Integer> blocked = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            if (aligner.isBlocked(c)) {
                blocked.add(c);
            }
        }
        return blocked;
    }

    @Test
    void aSingleChannelTriggersOnEachBarrierAndIsNeverBlocked() {
        BarrierAligner aligner = aligner(1);

        assertActions(aligner.onBarrier(0, 1), "trigger 1");
        assertFalse(aligner.isBlocked(0));
        assertFalse(aligner.hasPendingCheckpoint());
        assertActions(aligner.onBarrier(0, 2), "trigger 2");
        assertActions(aligner.onBarrier(0, 5), "trigger 5");
        assertEquals(5, aligner.latestCheckpointId());
    }

    @Test
    void aChannelIsBlockedFromItsBarrierUntilTheBarrierCameOnEveryChannel() {
        BarrierAligner aligner = aligner(3);

        assertSame(AlignmentAction.NONE, aligner.onBarrier(1, 1));
        assertEquals(List.of(1), blocked(aligner, 3));
        assertTrue(aligner.hasPendingCheckpoint());
        assertSame(AlignmentAction.NONE, aligner.onBarrier(0, 1));
        assertEquals(List.of(0, 1), blocked(aligner, 3));
        assertActions(aligner.onBarrier(2, 1), "trigger 1");
        assertEquals(List.of(), blocked(aligner, 3));
        assertFalse(aligner.hasPendingCheckpoint());
    }

    @Test
    void everyOrderOfThreeChannelsTriggersOnTheLastBarrierOnly() {
        int[][] orders = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
        for (int[] order : orders) {
            BarrierAligner aligner = aligner(3);
            for (long id = 1; id <= 3; id++) {
                assertSame(AlignmentAction.NONE, aligner.onBarrier(order[0], id));
                assertSame(AlignmentAction.NONE, aligner.onBarrier(order[1], id));
                assertEquals(List.of(Math.min(order[0], order[1]), Math.max(order[0], order[1])), blocked(aligner, 3));
                assertActions(aligner.onBarrier(order[2], id), "trigger " + id);
            }
        }
    }

    @Test
    void aNewerBarrierAbortsTheAlignmentAndStartsItsOwn() {
        BarrierAligner aligner = aligner(2);
        aligner.onBarrier(0, 1);

        // Channel 1 skipped checkpoint 1: it can never complete.
        assertActions(aligner.onBarrier(1, 2), "abort 1 SUBSUMED");
        assertEquals(List.of(1), blocked(aligner, 2));
        assertActions(aligner.onBarrier(0, 2), "trigger 2");
        assertEquals(List.of(), blocked(aligner, 2));
    }

    @Test
    void lateBarriersOfAbortedCheckpointsAreIgnored() {
        BarrierAligner aligner = aligner(3);
        aligner.onBarrier(0, 1);
        aligner.onBarrier(1, 2); // aborts 1, aligns 2

        assertSame(AlignmentAction.NONE, aligner.onBarrier(2, 1));
        assertEquals(List.of(1), blocked(aligner, 3));
        assertSame(AlignmentAction.NONE, aligner.onBarrier(0, 2));
        assertActions(aligner.onBarrier(2, 2), "trigger 2");
    }

    @Test
    void cancellingTheAlignedCheckpointUnblocksEveryChannel() {
        BarrierAligner aligner = aligner(3);
        aligner.onBarrier(0, 4);
        aligner.onBarrier(2, 4);

        assertActions(aligner.onCancelCheckpoint(4), "abort 4 CANCELLED");
        assertEquals(List.of(), blocked(aligner, 3));
        assertFalse(aligner.hasPendingCheckpoint());
        assertSame(AlignmentAction.NONE, aligner.onBarrier(1, 4));
        assertSame(AlignmentAction.NONE, aligner.onCancelCheckpoint(4));
        assertSame(AlignmentAction.NONE, aligner.onCancelCheckpoint(3));
    }

    @Test
    void cancellingANewerCheckpointAbortsTheAlignmentAndThatCheckpoint() {
        BarrierAligner aligner = aligner(2);
        aligner.onBarrier(0, 1);

        assertActions(aligner.onCancelCheckpoint(3), "abort 1 SUBSUMED", "abort 3 CANCELLED");
        assertEquals(3, aligner.latestCheckpointId());
        assertSame(AlignmentAction.NONE, aligner.onBarrier(1, 2));
        assertSame(AlignmentAction.NONE, aligner.onBarrier(1, 3));
        assertEquals(List.of(), blocked(aligner, 2));
        aligner.onBarrier(0, 4);
        assertActions(aligner.onBarrier(1, 4), "trigger 4");
    }

    @Test
    void cancellingAnOlderCheckpointLeavesTheAlignmentAlone() {
        BarrierAligner aligner = aligner(2);
        aligner.onBarrier(0, 5);

        assertSame(AlignmentAction.NONE, aligner.onCancelCheckpoint(4));
        assertEquals(List.of(0), blocked(aligner, 2));
        assertActions(aligner.onBarrier(1, 5), "trigger 5");
    }

    @Test
    void aCancellationBeforeAnyBarrierMakesItsBarriersLate() {
        BarrierAligner aligner = aligner(2);

        assertActions(aligner.onCancelCheckpoint(2), "abort 2 CANCELLED");
        assertSame(AlignmentAction.NONE, aligner.onBarrier(0, 1));
        assertSame(AlignmentAction.NONE, aligner.onBarrier(0, 2));
        assertEquals(List.of(), blocked(aligner, 2));
    }

    @Test
    void anEndedChannelIsNoLongerAwaitedAndItsEndCanCompleteTheAlignment() {
        BarrierAligner aligner = aligner(3);
        aligner.onBarrier(0, 1);
        aligner.onBarrier(1, 1);

        assertActions(aligner.onEndOfInput(2), "trigger 1");
        assertEquals(List.of(), blocked(aligner, 3));
        assertSame(AlignmentAction.NONE, aligner.onBarrier(0, 2));
        assertActions(aligner.onBarrier(1, 2), "trigger 2");
    }

    @Test
    void withOneChannelLeftOpenABarrierTriggersAtOnce() {
        BarrierAligner aligner = aligner(3);
        assertSame(AlignmentAction.NONE, aligner.onEndOfInput(0));
        assertSame(AlignmentAction.NONE, aligner.onEndOfInput(2));

        assertActions(aligner.onBarrier(1, 1), "trigger 1");
        assertFalse(aligner.isBlocked(1));
        assertSame(AlignmentAction.NONE, aligner.onEndOfInput(1));
    }

    @Test
    void anEndThatLeavesChannelsAwaitedDoesNotTrigger() {
        BarrierAligner aligner = aligner(4);
        aligner.onBarrier(3, 1);

        assertSame(AlignmentAction.NONE, aligner.onEndOfInput(0));
        assertSame(AlignmentAction.NONE, aligner.onEndOfInput(1));
        assertEquals(List.of(3), blocked(aligner, 4));
        assertActions(aligner.onBarrier(2, 1), "trigger 1");
    }

    @Test
    void eventsACorrectTaskNeverProducesAreRejected() {
        BarrierAligner aligner = aligner(3);
        aligner.onBarrier(0, 2);

        assertEquals("channel 0 delivered the barrier of checkpoint 3 while blocked by the alignment of checkpoint 2:"
                + " a blocked channel must not be read",
                assertThrows(IllegalStateException.class, () -> aligner.onBarrier(0, 3)).getMessage());
        assertEquals("channel 0 delivered its end of input while blocked by the alignment of checkpoint 2: a blocked"
                + " channel must not be read",
                assertThrows(IllegalStateException.class, () -> aligner.onEndOfInput(0)).getMessage());
        aligner.onBarrier(1, 3); // aborts 2: channel 0 is free again
        assertEquals("channel 0 delivered the barrier of checkpoint 2 after that of checkpoint 2: barriers on a channel"
                + " must increase", assertThrows(IllegalStateException.class, () -> aligner.onBarrier(0, 2))
                .getMessage());
        aligner.onEndOfInput(2);
        assertEquals("channel 2 delivered a barrier after its end of input",
                assertThrows(IllegalStateException.class, () -> aligner.onBarrier(2, 3)).getMessage());
        assertEquals("channel 2 delivered end of input after its end of input",
                assertThrows(IllegalStateException.class, () -> aligner.onEndOfInput(2)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> aligner.onBarrier(0, 0));
        assertThrows(IllegalArgumentException.class, () -> aligner.onCancelCheckpoint(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> aligner.onBarrier(3, 4));
        assertThrows(IllegalArgumentException.class, () -> aligner(0));
        // The rejected events changed nothing.
        assertEquals(List.of(1), blocked(aligner, 3));
        assertActions(aligner.onBarrier(0, 3), "trigger 3");
    }
}
