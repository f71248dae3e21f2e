package io.sluice.connectors.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.sink.TwoPhaseCommitSink.TransactionalWriter;
import io.sluice.testing.ExactlyOnceVerifier;
import io.sluice.testing.Tag;
import io.sluice.testing.Tagged;
import io.sluice.testing.VerificationReport;
import io.sluice.testing.VerifiedTransaction;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random runs of a simulated runtime around the writers: records written from a replayable source, checkpoints
 * (pre-commit on the barrier, handles stored), completions (durable), completion notices (commit of everything
 * pending up to the completed checkpoint, one notice possibly covering several), timed-out checkpoints, and crashes at
 * any of those points, also in the middle of a notice or of a single commit (a bare rename without its directory
 * fsync). A crash drops the writers (sometimes closing them), restores the latest completed checkpoint (recover with
 * its handles, source positions rewound) and replays. Oracle: the committed output always holds, per subtask, a
 * prefix of its records in order, exactly the restored position's prefix right after a recovery, with no in-progress
 * file left, and at the end every record exactly once. The writers are wrapped by an {@link ExactlyOnceVerifier}
 * (records {@code s<subtask>/<k>/...} carry their tag: split {@code s<subtask>}, offset k) and each subtask's source
 * has a witness driven in step with its writer, as the runtime drives a chain: at the end the verifier must find every
 * record committed exactly once, in the ledger and in the committed files.
 *
 * <p>Rerun one seed with {@code -Dsluice.tx.seed=N}.
 */
class TransactionalFileSinkRandomizedTest {

    private static final int SEEDS = 120;

    @TempDir
    Path tmp;

    /** How often each scenario came up over all seeds: the test fails if one never did. */
    private final Map<String, Integer> seen = new TreeMap<>();

    @Test
    void randomCheckpointsCompletionsAndCrashesCommitEveryRecordExactlyOnce() throws Exception {
        Long only = Long.getLong("sluice.tx.seed");
        List<Long> seeds = new ArrayList<>();
        if (only != null) {
            seeds.add(only);
        } else {
            for (long s = 1; s <= SEEDS; s++) {
                seeds.add(s);
            }
        }
        for (long seed : seeds) {
            try {
                new Simulation(seed, tmp.resolve("seed-" + seed), tmp.resolve("ledger-" + seed)).run();
            } catch (Throwable t) {
                throw new AssertionError("seed " + seed + " failed (rerun with -Dsluice.tx.seed=" + seed + "): " + t, t);
            }
        }
        System.out.println("TransactionalFileSinkRandomizedTest " + seeds.size() + " seeds: " + seen);
        if (only == null) {
            for (String scenario : List.of("crash", "crash with pre-committed not committed", "crash in a notice",
                    "crash in a commit (bare rename)", "crash after completion before notice", "restore with handles",
                    "aborted in-progress files", "checkpoint completed", "checkpoint timed out",
                    "notice covering several checkpoints", "end by finish", "end by final checkpoint")) {
                assertTrue(seen.getOrDefault(scenario, 0) >= 10, "scenario '" + scenario + "' too rare: " + seen);
            }
        }
    }

    private void count(String scenario) {
        seen.merge(scenario, 1, Integer::sum);
    }

    private record Checkpoint(long id, int[] positions, List<List<Handles>> handles) {}

    /** The tag of a record {@code s<subtask>/<k>/...}: split {@code s<subtask>}, offset k. */
    private static Tag tagOf(String record) {
        int first = record.indexOf('/');
        int second = record.indexOf('/', first + 1);
        return new Tag(record.substring(0, first), Long.parseLong(record.substring(first + 1, second)));
    }

    /** The handles of one subtask's checkpoint: its file transaction's and its source witness's (either may be absent). */
    private record Handles(VerifiedTransaction file, VerifiedTransaction witness) implements Serializable {
        PendingFile pending() {
            return (PendingFile) file.transaction();
        }
    }

    /** A subtask's verified file writer and its source's witness, driven in step as the runtime drives a chain. */
    private record Chain(TransactionalWriter<String, VerifiedTransaction> file,
            TransactionalWriter<Tagged<String>, VerifiedTransaction> witness) implements TransactionalWriter<String, Handles> {

        @Override
        public void recover(List<Handles> committedByCheckpoint) throws Exception {
            file.recover(committedByCheckpoint.stream().map(Handles::file).filter(h -> h != null).toList());
            witness.recover(committedByCheckpoint.stream().map(Handles::witness).filter(h -> h != null).toList());
        }

        @Override
        public void write(String record) throws Exception {
            file.write(record);
            Tag tag = tagOf(record);
            witness.write(new Tagged<>(tag.split(), tag.offset(), record));
        }

        @Override
        public Handles preCommit(long checkpointId) throws Exception {
            VerifiedTransaction f = file.preCommit(checkpointId);
            VerifiedTransaction w = witness.preCommit(checkpointId);
            return f == null && w == null ? null : new Handles(f, w);
        }

        @Override
        public void commit(Handles transaction) throws Exception {
            if (transaction.file() != null) {
                file.commit(transaction.file());
            }
            if (transaction.witness() != null) {
                witness.commit(transaction.witness());
            }
        }

        @Override
        public void finish() throws Exception {
            file.finish();
            witness.finish();
        }

        @Override
        public void close() throws Exception {
            file.close();
            witness.close();
        }
    }

    private final class Simulation {
        final long seed;
        final Random random;
        final Path dir;
        final int parallelism;
        final List<List<String>> records = new ArrayList<>();
        final TransactionalFileSink<String> sink;
        final ExactlyOnceVerifier verifier;
        final List<TransactionalWriter<String, Handles>> writers = new ArrayList<>();
        final int[] position;
        /** The runtime's view: per subtask, pre-committed transactions not yet committed, by checkpoint id. */
        final List<TreeMap<Long, Handles>> pending = new ArrayList<>();
        final TreeMap<Long, Checkpoint> inFlight = new TreeMap<>();
        Checkpoint completed;
        long nextCheckpoint = 1;

        Simulation(long seed, Path dir, Path ledger) throws Exception {
            this.seed = seed;
            this.random = new Random(seed);
            this.dir = dir;
            this.parallelism = 1 + random.nextInt(3);
            this.position = new int[parallelism];
            this.sink = new TransactionalFileSink<>(dir.toString());
            this.verifier = ExactlyOnceVerifier.open(ledger);
            int[] payload = "abcXYZ 019,.;\t-_éßÖ€中文😀𝐀\"'".codePoints().toArray();
            for (int s = 0; s < parallelism; s++) {
                List<String> mine = new ArrayList<>();
                int n = random.nextInt(120);
                for (int k = 0; k < n; k++) {
                    StringBuilder sb = new StringBuilder("s" + s + "/" + k + "/");
                    int length = random.nextInt(12);
                    for (int j = 0; j < length; j++) {
                        sb.appendCodePoint(payload[random.nextInt(payload.length)]);
                    }
                    mine.add(sb.toString());
                }
                records.add(mine);
                pending.add(new TreeMap<>());
                writers.add(null);
            }
        }

        void run() throws Exception {
            restore();
            int steps = 30 + random.nextInt(200);
            for (int step = 0; step < steps; step++) {
                int op = random.nextInt(100);
                if (op < 50) {
                    write(1 + random.nextInt(4));
                } else if (op < 62) {
                    checkpoint();
                } else if (op < 72) {
                    complete(false);
                } else if (op < 82) {
                    notice(false);
                } else if (op < 85) {
                    timeOut();
                } else if (op < 90) {
                    notice(true);
                } else {
                    crash();
                }
                checkCommittedArePrefixes();
            }
            end();
        }

        void write(int count) throws Exception {
            for (int i = 0; i < count; i++) {
                int s = random.nextInt(parallelism);
                if (position[s] < records.get(s).size()) {
                    writers.get(s).write(records.get(s).get(position[s]++));
                }
            }
        }

        void checkpoint() throws Exception {
            long id = nextCheckpoint++;
            List<List<Handles>> handles = new ArrayList<>();
            for (int s = 0; s < parallelism; s++) {
                Handles h = writers.get(s).preCommit(id);
                if (h != null) {
                    assertEquals(s, h.pending().subtask());
                    pending.get(s).put(id, h);
                }
                handles.add(List.copyOf(pending.get(s).values())); // everything not yet known committed
            }
            inFlight.put(id, new Checkpoint(id, position.clone(), handles));
        }

        /** A checkpoint in flight becomes durable (metadata written): the latest completed from now on. */
        void complete(boolean latest) {
            if (inFlight.isEmpty()) {
                return;
            }
            List<Long> ids = new ArrayList<>(inFlight.keySet());
            long id = latest || random.nextInt(3) != 0 ? ids.getLast() : ids.get(random.nextInt(ids.size()));
            completed = inFlight.get(id);
            inFlight.headMap(id, true).clear(); // older ones are subsumed
            count("checkpoint completed");
        }

        void timeOut() {
            if (!inFlight.isEmpty()) {
                inFlight.remove(inFlight.firstKey()); // its transactions stay pending, committed with a later one
                count("checkpoint timed out");
            }
        }

        /** The completion notice of the latest completed checkpoint: commits everything pending up to it. */
        void notice(boolean crashInside) throws Exception {
            if (completed == null) {
                return;
            }
            List<Integer> order = new ArrayList<>();
            List<Handles> due = new ArrayList<>();
            for (int s = 0; s < parallelism; s++) {
                for (Handles h : pending.get(s).headMap(completed.id(), true).values()) {
                    order.add(s);
                    due.add(h);
                }
            }
            if (due.isEmpty()) {
                return;
            }
            long checkpointsCovered = due.stream().mapToLong(h -> h.pending().checkpointId()).distinct().count();
            if (checkpointsCovered > 1) {
                count("notice covering several checkpoints");
            }
            int stopAt = crashInside ? random.nextInt(due.size() + 1) : due.size();
            for (int i = 0; i < stopAt; i++) {
                writers.get(order.get(i)).commit(due.get(i));
                pending.get(order.get(i)).remove(due.get(i).pending().checkpointId());
            }
            if (crashInside) {
                count("crash in a notice");
                if (stopAt < due.size() && random.nextBoolean()) {
                    bareRename(due.get(stopAt).pending());
                }
                crash();
            }
        }

        /** The rename of a commit done, its directory fsync and everything after not: a crash in the middle of it. */
        void bareRename(PendingFile h) throws Exception {
            Path from = dir.resolve(h.inProgressName());
            if (Files.exists(from)) {
                Files.move(from, dir.resolve(h.finalName()), StandardCopyOption.ATOMIC_MOVE);
                count("crash in a commit (bare rename)");
            }
        }

        void crash() throws Exception {
            count("crash");
            if (pending.stream().anyMatch(p -> !p.isEmpty())) {
                count("crash with pre-committed not committed");
            }
            if (completed != null && pending.stream().anyMatch(p -> !p.headMap(completed.id(), true).isEmpty())) {
                count("crash after completion before notice");
            }
            if (completed != null && random.nextInt(4) == 0) {
                List<PendingFile> restorable = completed.handles().stream().flatMap(List::stream).map(Handles::pending).toList();
                if (!restorable.isEmpty()) {
                    bareRename(restorable.get(random.nextInt(restorable.size())));
                }
            }
            for (int s = 0; s < parallelism; s++) {
                if (random.nextBoolean()) {
                    writers.get(s).close(); // an orderly failure; otherwise the process just died
                }
                writers.set(s, null);
            }
            restore();
        }

        /** Restores the latest completed checkpoint (or starts fresh) and checks the committed output is exactly it. */
        void restore() throws Exception {
            inFlight.clear();
            if (Files.isDirectory(dir)) {
                List<String> toAbort = new ArrayList<>(TransactionalFileSink.inProgressFiles(dir).stream()
                        .map(f -> f.getFileName().toString()).toList());
                if (completed != null) {
                    completed.handles().forEach(hs -> hs.forEach(h -> toAbort.remove(h.pending().inProgressName())));
                }
                if (!toAbort.isEmpty()) {
                    count("aborted in-progress files");
                }
            }
            for (int s = 0; s < parallelism; s++) {
                pending.get(s).clear();
                TxTestContext context = new TxTestContext(s, parallelism);
                TransactionalWriter<String, Handles> w = new Chain(verifier.sink(sink, TransactionalFileSinkRandomizedTest::tagOf).createWriter(context),
                        verifier.<String>witness().createWriter(context));
                List<Handles> handles = completed == null ? List.of() : completed.handles().get(s);
                if (!handles.isEmpty()) {
                    count("restore with handles");
                }
                w.recover(handles);
                writers.set(s, w);
                position[s] = completed == null ? 0 : completed.positions()[s];
            }
            for (int s = 0; s < parallelism; s++) {
                assertEquals(records.get(s).subList(0, position[s]), committedOf(s), "right after recovery, subtask " + s
                        + " restored at " + Arrays.toString(position));
            }
            assertEquals(List.of(), TransactionalFileSink.inProgressFiles(dir), "no leftover in-progress file");
        }

        void end() throws Exception {
            for (int s = 0; s < parallelism; s++) {
                while (position[s] < records.get(s).size()) {
                    writers.get(s).write(records.get(s).get(position[s]++));
                }
            }
            if (random.nextBoolean()) {
                count("end by final checkpoint");
                checkpoint();
                complete(true);
                notice(false);
                for (TreeMap<Long, Handles> p : pending) {
                    assertEquals(Map.of(), p);
                }
            } else {
                count("end by finish");
            }
            for (var w : writers) {
                w.finish();
                w.close();
            }
            List<String> expected = new ArrayList<>();
            records.forEach(expected::addAll);
            List<String> committed = TransactionalFileSink.readCommitted(dir);
            assertEquals(expected, committed, "every record exactly once, in order");
            VerificationReport report = verifier.verify(committed.stream().map(TransactionalFileSinkRandomizedTest::tagOf).toList());
            assertEquals(expected.size(), report.expectedRecords(), report.toString());
            if (!expected.isEmpty()) {
                report.assertExactlyOnce();
                verifier.verify().assertExactlyOnce();
            }
            try (Stream<Path> files = Files.list(dir)) {
                List<String> hidden = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
                assertEquals(List.of(), hidden, "no hidden file left");
            }
        }

        List<String> committedOf(int s) throws Exception {
            String prefix = "s" + s + "/";
            return TransactionalFileSink.readCommitted(dir).stream().filter(l -> l.startsWith(prefix)).toList();
        }

        void checkCommittedArePrefixes() throws Exception {
            for (int s = 0; s < parallelism; s++) {
                List<String> committed = committedOf(s);
                assertTrue(committed.size() <= position[s], "subtask " + s + " committed more than written");
                assertEquals(records.get(s).subList(0, committed.size()), committed,
                        "subtask " + s + ": committed output is not a prefix of its records (duplicate or gap)");
            }
        }
    }
}
