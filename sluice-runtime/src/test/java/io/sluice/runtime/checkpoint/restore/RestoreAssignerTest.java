package io.sluice.runtime.checkpoint.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sluice.runtime.checkpoint.OperatorSubtaskState;
import io.sluice.runtime.checkpoint.RestoredState;
import io.sluice.runtime.state.operator.OperatorStateSnapshot.Mode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link RestoreAssigner} on its own, at the rescales 1->4, 4->1, 3->5, 5->2 and at unchanged parallelisms, for each
 * kind of state: old checkpoints made at random from a seed ({@link OldSubtasks}), every assignment checked by
 * brute force ({@link RestoreOracle}). With odd seeds some old subtasks are finished (a source holding no splits, an
 * operator without state or not in the checkpoint at all). A failure names the seed; {@code -Dsluice.test.seeds=N}
 * runs seeds 1..N per rescale (default 40).
 */
class RestoreAssignerTest {
    static final long CHECKPOINT = 7;
    private static final long SEEDS = Long.getLong("sluice.test.seeds", 40);

    static Stream<Arguments> rescales() {
        return Stream.of(Arguments.of(1, 4), Arguments.of(4, 1), Arguments.of(3, 5), Arguments.of(5, 2),
                Arguments.of(3, 3), Arguments.of(1, 1));
    }

    /** One seed's run: builds an old checkpoint and checks what the assigner makes of it. */
    interface SeededRun {
        void run(Random random, boolean finished) throws Exception;
    }

    private static void forEachSeed(int oldParallelism, int newParallelism, SeededRun run) {
        for (long seed = 1; seed <= SEEDS; seed++) {
            try {
                run.run(new Random(seed * 0x9E3779B97F4A7C15L + oldParallelism * 31L + newParallelism), seed % 2 == 1);
            } catch (Throwable t) {
                throw new AssertionError("seed " + seed + ", " + oldParallelism + " -> " + newParallelism + ": " + t.getMessage(), t);
            }
        }
    }

    /** A number of key groups at least both parallelisms: the default 128, a small one, or any up to 300. */
    private static int maxParallelism(Random random, int oldParallelism, int newParallelism) {
        int least = Math.max(oldParallelism, newParallelism);
        return switch (random.nextInt(3)) {
            case 0 -> 128;
            case 1 -> least + random.nextInt(4);
            default -> least + random.nextInt(300);
        };
    }

    static RestoreAssignment assign(RestoredState checkpoint, int maxParallelism, OperatorShape... operators)
            throws IOException {
        return RestoreAssigner.assign(checkpoint, new JobShape(maxParallelism, List.of(operators)),
                uid -> RestoreAssignerTest.class.getClassLoader());
    }

    private static OperatorRestore assignOne(List<OperatorSubtaskState> old, OperatorShape op, int maxParallelism)
            throws IOException {
        RestoreAssignment assignment = assign(RestoredState.of(CHECKPOINT, old), maxParallelism, op);
        assertEquals(CHECKPOINT, assignment.checkpointId());
        OperatorRestore restore = assignment.operator(op.uid()).orElseThrow();
        assertEquals(op.parallelism(), restore.subtasks().size());
        assertEquals(old.getFirst().parallelism(), restore.oldParallelism());
        return restore;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("rescales")
    void keyedStateGoesToTheSubtasksOwningItsKeyGroups(int oldParallelism, int newParallelism) {
        forEachSeed(oldParallelism, newParallelism, (random, finished) -> {
            int maxParallelism = maxParallelism(random, oldParallelism, newParallelism);
            List<OperatorSubtaskState> old = OldSubtasks.keyed("sum", oldParallelism, maxParallelism, random, finished);
            OperatorRestore restore = assignOne(old, new OperatorShape("sum", "Sum", newParallelism, true, false), maxParallelism);
            RestoreOracle.checkKeyed(old, restore, maxParallelism);
            RestoreOracle.checkNothingElse(restore, true, false, false);
        });
    }

    /** Split list state alone, union list state alone, broadcast state alone, and all three side by side. */
    static Stream<Arguments> operatorStateModes() {
        List<List<Mode>> modes = List.of(List.of(Mode.SPLIT), List.of(Mode.UNION), List.of(Mode.BROADCAST),
                List.of(Mode.SPLIT, Mode.UNION, Mode.BROADCAST));
        return modes.stream().flatMap(m -> rescales().map(r -> Arguments.of(m, r.get()[0], r.get()[1])));
    }

    /**
     * Split elements each in exactly one new subtask (kept per subtask at an unchanged parallelism), union elements
     * all in every new subtask, one whole broadcast copy in each new subtask.
     */
    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @MethodSource("operatorStateModes")
    void operatorStateIsRedistributedByMode(List<Mode> modes, int oldParallelism, int newParallelism) {
        forEachSeed(oldParallelism, newParallelism, (random, finished) -> {
            List<OperatorSubtaskState> old = OldSubtasks.operatorState("buffer", oldParallelism, modes, random, finished);
            OperatorRestore restore = assignOne(old, new OperatorShape("buffer", "Buffer", newParallelism, false, false), 128);
            RestoreOracle.checkOperatorState(old, restore);
            RestoreOracle.checkNothingElse(restore, false, true, false);
        });
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("rescales")
    void sourceSplitsAreDealtOnce(int oldParallelism, int newParallelism) {
        forEachSeed(oldParallelism, newParallelism, (random, finished) -> {
            List<OperatorSubtaskState> old = OldSubtasks.source("numbers", oldParallelism, random, finished);
            OperatorRestore restore = assignOne(old, new OperatorShape("numbers", "Numbers", newParallelism, false, true), 128);
            RestoreOracle.checkSplits(old, restore);
            RestoreOracle.checkNothingElse(restore, false, false, true);
        });
    }

    /** A whole job: keyed, operator-state and source operators, each rescaled its own way, in one assignment. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aJobOfEveryKind(long seed) throws Exception {
        Random random = new Random(seed);
        int[] oldP = {1 + random.nextInt(6), 1 + random.nextInt(6), 1 + random.nextInt(6)};
        int[] newP = {1 + random.nextInt(6), 1 + random.nextInt(6), 1 + random.nextInt(6)};
        boolean finished = random.nextBoolean();
        int maxParallelism = maxParallelism(random, Math.max(oldP[0], oldP[1]), Math.max(newP[0], newP[1]));
        List<OperatorSubtaskState> source = OldSubtasks.source("numbers", oldP[0], random, finished);
        List<OperatorSubtaskState> keyed = OldSubtasks.keyed("sum", oldP[1], maxParallelism, random, finished);
        List<OperatorSubtaskState> buffer = OldSubtasks.operatorState("buffer", oldP[2],
                List.of(Mode.SPLIT, Mode.UNION, Mode.BROADCAST), random, finished);
        List<OperatorSubtaskState> all = new ArrayList<>(source);
        all.addAll(keyed);
        all.addAll(buffer);
        RestoreAssignment assignment = assign(RestoredState.of(CHECKPOINT, all).holdingEveryOperator(), maxParallelism,
                new OperatorShape("numbers", "Numbers", newP[0], false, true),
                new OperatorShape("sum", "Sum", newP[1], true, false),
                new OperatorShape("buffer", "Buffer", newP[2], false, false),
                new OperatorShape("print", "Print", 1 + random.nextInt(6), false, false));
        String setup = "seed " + seed + ": old " + List.of(oldP[0], oldP[1], oldP[2]) + ", new " + List.of(newP[0], newP[1], newP[2])
                + ", " + maxParallelism + " key groups";
        try {
            RestoreOracle.checkSplits(source, assignment.operator("numbers").orElseThrow());
            RestoreOracle.checkKeyed(keyed, assignment.operator("sum").orElseThrow(), maxParallelism);
            RestoreOracle.checkOperatorState(buffer, assignment.operator("buffer").orElseThrow());
            assertFalse(assignment.operator("print").isPresent(), "an operator without state starts without it");
            assertEquals(3, assignment.operators().size());
        } catch (AssertionError e) {
            throw new AssertionError(setup + ": " + e.getMessage(), e);
        }
    }

    static LongStream seeds() {
        return LongStream.rangeClosed(1, SEEDS);
    }
}
