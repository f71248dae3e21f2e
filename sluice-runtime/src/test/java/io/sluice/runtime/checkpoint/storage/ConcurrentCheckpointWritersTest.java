package io.sluice.runtime.checkpoint.storage;

import static io.sluice.runtime.checkpoint.storage.StorageTestSupport.assertReadsBack;
import static io.sluice.runtime.checkpoint.storage.StorageTestSupport.checkpointDirs;
import static io.sluice.runtime.checkpoint.storage.StorageTestSupport.randomBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Writers on several threads at once: two checkpoints written in parallel (asynchronous snapshot uploads), files of
 * one checkpoint written by several threads, an abort racing a write.
 */
@Timeout(60)
class ConcurrentCheckpointWritersTest {
    private static final byte[] PAYLOAD = "payload".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path root;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, Long.getLong("sluice.test.seeds", 10));
    }

    private record Written(Map<StateFileHandle, byte[]> files) {
    }

    /** Writes {@code count} files with random sizes and piece sizes; shared ones get names unique to the writer. */
    private static Written writeFiles(CheckpointWriter writer, Random random, String prefix, int count) throws IOException {
        Map<StateFileHandle, byte[]> files = new HashMap<>();
        for (int i = 0; i < count; i++) {
            byte[] bytes = randomBytes(random, random.nextInt(200_000));
            boolean shared = random.nextInt(4) == 0;
            String name = prefix + "-" + i;
            try (StateFileOutputStream out = shared ? writer.createSharedFile(name) : writer.createFile(name)) {
                int pos = 0;
                while (pos < bytes.length) {
                    int n = Math.min(bytes.length - pos, 1 + random.nextInt(40_000));
                    out.write(bytes, pos, n);
                    pos += n;
                }
                files.put(out.closeAndGetHandle(), bytes);
            }
        }
        return new Written(files);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void twoCheckpointsWrittenAndCompletedOnParallelThreads(long seed) throws Exception {
        System.out.println("ConcurrentCheckpointWritersTest.twoCheckpointsInParallel seed=" + seed);
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<Written>> results = new ArrayList<>();
            for (long id = 1; id <= 2; id++) {
                long checkpointId = id;
                results.add(threads.submit(() -> {
                    Random random = new Random(seed * 100 + checkpointId);
                    start.await();
                    try (CheckpointWriter writer = storage.begin(checkpointId)) {
                        Written written = writeFiles(writer, random, "cp" + checkpointId, 15);
                        writer.complete(("payload " + checkpointId).getBytes(StandardCharsets.UTF_8));
                        return written;
                    }
                }));
            }
            List<Written> written = new ArrayList<>();
            for (Future<Written> f : results) {
                written.add(f.get(30, TimeUnit.SECONDS));
            }
            assertEquals(List.of(1L, 2L), storage.completedCheckpointIds());
            for (long id = 1; id <= 2; id++) {
                Written files = written.get((int) id - 1);
                CompletedCheckpoint checkpoint = storage.open(id);
                assertEquals(files.files().keySet(), Set.copyOf(checkpoint.files()), "seed " + seed);
                assertEquals("payload " + id, new String(checkpoint.payload(), StandardCharsets.UTF_8));
                for (Map.Entry<StateFileHandle, byte[]> e : files.files().entrySet()) {
                    assertReadsBack(checkpoint, e.getKey(), e.getValue());
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void parallelWritersCompletedInOrderThroughTheStore() throws Exception {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        CompletedCheckpointStore store = CompletedCheckpointStore.open(storage, 2, false);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (long round = 0; round < 5; round++) {
                CheckpointWriter w1 = storage.begin(round * 2 + 1);
                CheckpointWriter w2 = storage.begin(round * 2 + 2);
                long r = round;
                Future<Written> f1 = threads.submit(() -> writeFiles(w1, new Random(r), "a" + r, 5));
                Future<Written> f2 = threads.submit(() -> writeFiles(w2, new Random(r + 100), "b" + r, 5));
                f1.get(30, TimeUnit.SECONDS);
                f2.get(30, TimeUnit.SECONDS);
                store.complete(w1, PAYLOAD);
                store.complete(w2, PAYLOAD);
                w1.close();
                w2.close();
            }
            assertEquals(List.of(9L, 10L), store.retained().stream().map(CompletedCheckpoint::checkpointId).toList());
            assertEquals(Set.of("chk-000009", "chk-000010"), checkpointDirs(root));
            for (CompletedCheckpoint c : store.retained()) {
                c.verify();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void filesOfOneCheckpointWrittenByManyThreads(long seed) throws Exception {
        System.out.println("ConcurrentCheckpointWritersTest.filesOfOneCheckpointWrittenByManyThreads seed=" + seed);
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try (CheckpointWriter writer = storage.begin(seed)) {
            List<Future<Written>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int task = t;
                results.add(threads.submit(() -> writeFiles(writer, new Random(seed * 10 + task), "task" + task, 8)));
            }
            Map<StateFileHandle, byte[]> all = new HashMap<>();
            for (Future<Written> f : results) {
                all.putAll(f.get(30, TimeUnit.SECONDS).files());
            }
            CompletedCheckpoint checkpoint = writer.complete(PAYLOAD);
            assertEquals(32, checkpoint.files().size());
            assertEquals(all.keySet(), Set.copyOf(storage.open(seed).files()));
            for (Map.Entry<StateFileHandle, byte[]> e : all.entrySet()) {
                assertReadsBack(checkpoint, e.getKey(), e.getValue());
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void anAbortWhileAnotherThreadWritesFailsThatWriteAndLeavesNothing() throws Exception {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        CheckpointWriter writer = storage.begin(1);
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch aborted = new CountDownLatch(1);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<?> upload = thread.submit(() -> {
                try (StateFileOutputStream out = writer.createSharedFile("upload.sst")) {
                    out.write(new byte[100_000]);
                    writing.countDown();
                    aborted.await();
                    out.write(new byte[100_000]);
                    out.closeAndGetHandle();
                }
                return null;
            });
            writing.await();
            writer.abort();
            aborted.countDown();
            Exception e = assertThrows(Exception.class, () -> upload.get(30, TimeUnit.SECONDS));
            CheckpointWriteException cause = (CheckpointWriteException) e.getCause();
            assertEquals(root.resolve("shared/upload.sst").toString(), cause.file());
            assertTrue(cause.getMessage().contains("Checkpoint 1") && cause.getMessage().contains("aborted"),
                    cause.getMessage());
        } finally {
            thread.shutdownNow();
        }
        assertFalse(Files.exists(root.resolve("chk-000001")));
        assertEquals(Set.of(), StorageTestSupport.list(root.resolve("shared")));
        assertEquals(List.of(), storage.completedCheckpointIds());
        assertThrows(CheckpointNotFoundException.class, () -> storage.open(1));
    }
}
