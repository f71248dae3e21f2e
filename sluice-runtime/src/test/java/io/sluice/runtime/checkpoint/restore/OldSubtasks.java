package io.sluice.runtime.checkpoint.restore;

import io.sluice.api.source.SourceSplit;
import io.sluice.runtime.checkpoint.OperatorSubtaskState;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateFiles;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.state.operator.OperatorStateSnapshot;
import io.sluice.runtime.state.operator.OperatorStateSnapshot.Mode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Builds the states the old subtasks of one operator wrote, at random from a seed, with contents that name where they
 * came from: a key-group block {@code kg<k>@<old subtask>}, an element {@code <state>@<old subtask>#<n>}, a split
 * {@code split@<old subtask>#<n>}. So an oracle can tell every restored item's origin from its bytes.
 */
final class OldSubtasks {
    /** A source split of the tests; records are serializable, like the splits of real sources. */
    record TestSplit(String splitId, long position) implements SourceSplit {}

    private OldSubtasks() {}

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Keyed state of every old subtask: a random subset of its key groups (a heap snapshot writes non-empty groups
     * only), sometimes a backend's file set over its range instead, and, with {@code finished}, sometimes none.
     */
    static List<OperatorSubtaskState> keyed(String uid, int parallelism, int maxParallelism, Random random, boolean finished) {
        List<OperatorSubtaskState> states = new ArrayList<>();
        double density = random.nextDouble();
        for (int s = 0; s < parallelism; s++) {
            KeyGroupRange range = KeyGroupRange.of(s, parallelism, maxParallelism);
            KeyedStateSnapshot keyed;
            if (finished && random.nextInt(4) == 0) {
                keyed = null;
            } else if (random.nextInt(5) == 0) {
                keyed = KeyedStateSnapshot.ofFiles(new KeyedStateFiles("test-files", range, List.of(), new byte[0], null));
            } else {
                Map<Integer, byte[]> groups = new TreeMap<>();
                for (int kg = range.first(); kg < range.end(); kg++) {
                    if (random.nextDouble() < density) {
                        groups.put(kg, bytes("kg" + kg + "@" + s));
                    }
                }
                keyed = new KeyedStateSnapshot(groups);
            }
            states.add(new OperatorSubtaskState(uid, s, parallelism, keyed, new OperatorStateSnapshot(Map.of()), null));
        }
        return states;
    }

    /**
     * Operator state of every old subtask, one state per entry of {@code modes} (named after its mode), each with 0 to
     * 12 elements; broadcast copies of different old subtasks differ in the tag only, so the oracle can tell them
     * apart. With {@code finished}, each old subtask is left out with probability 1/4 (one is always kept).
     */
    static List<OperatorSubtaskState> operatorState(String uid, int parallelism, List<Mode> modes, Random random,
            boolean finished) {
        List<OperatorSubtaskState> states = new ArrayList<>();
        int kept = random.nextInt(parallelism);
        for (int s = 0; s < parallelism; s++) {
            if (finished && s != kept && random.nextInt(4) == 0) {
                continue;
            }
            Map<String, OperatorStateSnapshot.Entry> entries = new HashMap<>();
            for (Mode mode : modes) {
                String name = mode.name().toLowerCase();
                List<byte[]> elements = new ArrayList<>();
                int n = mode == Mode.BROADCAST ? 5 : random.nextInt(13);
                for (int i = 0; i < n; i++) {
                    elements.add(bytes(name + "@" + s + "#" + i));
                }
                entries.put(name, new OperatorStateSnapshot.Entry(mode, elements));
            }
            states.add(new OperatorSubtaskState(uid, s, parallelism, null, new OperatorStateSnapshot(entries), null));
        }
        return states;
    }

    /**
     * A source's old subtasks, each holding 0 to 6 splits as the Java-serialized list a source task writes; with
     * {@code finished}, some hold the empty list a finished source writes.
     */
    static List<OperatorSubtaskState> source(String uid, int parallelism, Random random, boolean finished) {
        List<OperatorSubtaskState> states = new ArrayList<>();
        for (int s = 0; s < parallelism; s++) {
            if (finished && random.nextInt(3) == 0) {
                states.add(OperatorSubtaskState.finishedSource(uid, s, parallelism));
                continue;
            }
            List<TestSplit> splits = new ArrayList<>();
            int n = random.nextInt(7);
            for (int i = 0; i < n; i++) {
                splits.add(new TestSplit("split@" + s + "#" + i, random.nextInt(1000)));
            }
            states.add(new OperatorSubtaskState(uid, s, parallelism, null, new OperatorStateSnapshot(Map.of()),
                    serialize(splits)));
        }
        return states;
    }

    static byte[] serialize(Object object) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
