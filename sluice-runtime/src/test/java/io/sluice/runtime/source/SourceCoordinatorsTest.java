package io.sluice.runtime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.source.SequenceSource;
import io.sluice.api.source.SourceSplit;
import io.sluice.runtime.checkpoint.EnumeratorState;
import io.sluice.runtime.checkpoint.storage.CheckpointWriter;
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import io.sluice.runtime.checkpoint.storage.StateFileHandle;
import io.sluice.runtime.serialization.SplitLists;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source coordinator on its own, with readers that are hand-written gateways: an event a reader has no room for
 * waits in its outbox, its splits stay on the enumerator's side of a checkpoint until delivered, and events arrive in
 * the order sent; an enumerator that throws fails the run naming the source.
 */
class SourceCoordinatorsTest {
    private static final long WAIT_SECONDS = 10;

    /** A reader's task: takes events only while {@link #open}, records them in order. */
    private static final class Reader implements ReaderGateway {
        final AtomicBoolean open = new AtomicBoolean();
        final List<ReaderEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public boolean tryDeliver(ReaderEvent event) {
            return open.get() && events.add(event);
        }
    }

    /** Takes checkpoint {@code id} of the coordinators' state and reads back the splits it holds. */
    private static List<String> checkpointedSplitIds(SourceCoordinators coordinators, FileSystemCheckpointStorage storage,
            long id) throws Exception {
        CompletableFuture<List<StateFileHandle>> written = new CompletableFuture<>();
        try (CheckpointWriter writer = storage.begin(id)) {
            coordinators.checkpoint(id, writer, written::complete, written::completeExceptionally);
            List<StateFileHandle> files = written.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(1, files.size(), "one enumerator state file per source: " + files);
            var completed = writer.complete(new byte[0]);
            EnumeratorState state = EnumeratorState.fromBytes(completed.readFile(files.getFirst()));
            assertEquals("numbers", state.uid());
            List<String> ids = new ArrayList<>();
            for (SourceSplit s : SplitLists.read(state.splits(), SourceCoordinatorsTest.class.getClassLoader())) {
                ids.add(s.splitId());
            }
            return ids;
        }
    }

    @Test
    @Timeout(30)
    void anEventWithoutRoomWaitsInOrderAndItsSplitsStayOnTheEnumeratorsSide(@TempDir Path dir) throws Exception {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(dir);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        try (SourceCoordinators coordinators = new SourceCoordinators("test", failures::add)) {
            SplitRequests requests = coordinators.add("numbers", "Numbers", 2, new SequenceSource(1, 100, 0), null);
            Reader first = new Reader();
            Reader second = new Reader();
            coordinators.connect("numbers", 0, first);
            coordinators.connect("numbers", 1, second);

            requests.registerReader(0); // its mailbox is full: the assignment waits
            assertEquals(List.of("seq-0", "seq-1"), sorted(checkpointedSplitIds(coordinators, storage, 1)),
                    "the undelivered split and the unregistered reader's split are the enumerator's");

            first.open.set(true); // room again: the coordinator offers the waiting events again, in order
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (first.events.size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            second.open.set(true);
            requests.registerReader(1);
            assertEquals(List.of(), checkpointedSplitIds(coordinators, storage, 2),
                    "every split reached its reader before checkpoint 2");
            for (Reader r : List.of(first, second)) {
                assertEquals(3, r.events.size(), r.events.toString());
                assertInstanceOf(ReaderEvent.SplitsAssigned.class, r.events.get(0));
                assertInstanceOf(ReaderEvent.NoMoreSplits.class, r.events.get(1));
                assertInstanceOf(ReaderEvent.Registered.class, r.events.get(2));
            }
            assertEquals("seq-0", ((ReaderEvent.SplitsAssigned) first.events.getFirst()).splits().getFirst().splitId());
            assertEquals("seq-1", ((ReaderEvent.SplitsAssigned) second.events.getFirst()).splits().getFirst().splitId());
            assertEquals(List.of(), failures);
        }
    }

    @Test
    @Timeout(30)
    void anEnumeratorThatThrowsFailsTheRunNamingTheSource() throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        try (SourceCoordinators coordinators = new SourceCoordinators("test", failure::complete)) {
            PulledNumbers numbers = new PulledNumbers(10, 2, 10, 0);
            SplitRequests requests = coordinators.add("numbers", "Numbers", 1, numbers, null);
            coordinators.connect("numbers", 0, event -> true);
            requests.requestSplit(7); // no reader 7: the enumerator's assignment throws
            Throwable t = failure.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(t);
            assertTrue(t.getMessage().contains("source 'Numbers'") && t.getMessage().contains("readers 0..0, not 7"),
                    t.getMessage());
        }
    }

    private static List<String> sorted(List<String> ids) {
        List<String> copy = new ArrayList<>(ids);
        copy.sort(null);
        return copy;
    }
}
