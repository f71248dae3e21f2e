package io.sluice.runtime.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sluice.runtime.channel.ControlEvent;
import io.sluice.runtime.state.SnapshotKind;
import org.junit.jupiter.api.Test;

/** A task input takes the checkpoint its aligner triggers as the kind its barriers carried. */
class BarrierKindsTest {

    @Test
    void aTriggeredCheckpointHasItsBarriersKind() {
        BarrierKinds kinds = new BarrierKinds();
        kinds.onBarrier(new ControlEvent.Barrier(4));
        kinds.onBarrier(new ControlEvent.Barrier(5, SnapshotKind.SAVEPOINT));
        kinds.onBarrier(new ControlEvent.Barrier(5, SnapshotKind.SAVEPOINT)); // the same barrier on another channel
        kinds.onBarrier(new ControlEvent.Barrier(6));
        assertEquals(SnapshotKind.SAVEPOINT, kinds.take(5));
        assertThrows(IllegalStateException.class, () -> kinds.take(4), "older ones are forgotten: they never trigger");
        assertEquals(SnapshotKind.CHECKPOINT, kinds.take(6));
    }

    @Test
    void anAbortedCheckpointIsForgotten() {
        BarrierKinds kinds = new BarrierKinds();
        kinds.onBarrier(new ControlEvent.Barrier(7, SnapshotKind.SAVEPOINT));
        kinds.forget(7);
        assertThrows(IllegalStateException.class, () -> kinds.take(7));
    }
}
