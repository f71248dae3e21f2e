package io.sluice.runtime.checkpoint.alignment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.runtime.checkpoint.alignment.AlignmentChecker.Event;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random runs of both modes against {@link ReferenceAlignment}, checked by {@link AlignmentChecker}: 1 to 6
 * channels, checkpoints 1..N, each channel delivering an increasing subset of them (skips stand for checkpoints its
 * producer declined) and perhaps its end of input, early or late; random cancellations, of pending, past and future
 * checkpoints. Channels are read in a random order, never while blocked; when every readable channel is exhausted but
 * an alignment still blocks others, the run cancels it, as an alignment timeout would. A failure prints the seed, the
 * setup and every event; {@code -Dsluice.test.seeds=N} runs seeds 1..N (default 400).
 */
class AlignmentRandomModelTest {

    static LongStream seeds() {
        return LongStream.rangeClosed(1, Long.getLong("sluice.test.seeds", 400));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void exactlyOnceMatchesTheModel(long seed) {
        run(AlignmentMode.EXACTLY_ONCE, seed);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void atLeastOnceMatchesTheModel(long seed) {
        run(AlignmentMode.AT_LEAST_ONCE, seed);
    }

    private static void run(AlignmentMode mode, long seed) {
        Random random = new Random(seed * 0x9E3779B97F4A7C15L + mode.ordinal());
        int channels = 1 + random.nextInt(6);
        int checkpoints = 1 + random.nextInt(12);
        int maxPending = 1 + random.nextInt(4);
        double skip = random.nextDouble() * 0.4;
        double cancel = List.of(0.0, 0.02, 0.1).get(random.nextInt(3));
        List<ArrayDeque<Event>> scripts = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            ArrayDeque<Event> script = new ArrayDeque<>();
            for (long id = 1; id <= checkpoints; id++) {
                if (random.nextDouble() >= skip) {
                    script.add(new Event.Barrier(c, id));
                }
            }
            if (random.nextDouble() < 0.2) {
                int keep = random.nextInt(script.size() + 1);
                while (script.size() > keep) {
                    script.removeLast();
                }
            }
            if (random.nextDouble() < 0.6) {
                script.add(new Event.End(c));
            }
            scripts.add(script);
        }
        String setup = "seed " + seed + ": " + mode + ", " + channels + " channels, checkpoints 1.." + checkpoints
                + (mode == AlignmentMode.AT_LEAST_ONCE ? ", maxPending " + maxPending : "") + ", skip "
                + String.format("%.2f", skip) + ", cancel " + cancel;
        AlignmentChecker checker = new AlignmentChecker(mode, channels, maxPending, setup);

        while (true) {
            List<Integer> readable = new ArrayList<>();
            for (int c = 0; c < channels; c++) {
                if (!scripts.get(c).isEmpty() && !checker.model.blocked(c)) {
                    readable.add(c);
                }
            }
            Event next;
            if (random.nextDouble() < cancel) {
                next = new Event.Cancel(1 + random.nextInt(checkpoints + 1));
            } else if (!readable.isEmpty()) {
                next = scripts.get(readable.get(random.nextInt(readable.size()))).poll();
            } else if (!checker.model.pending.isEmpty()) {
                next = new Event.Cancel(checker.model.pending.firstKey()); // an alignment that can never complete
            } else {
                break;
            }
            checker.apply(next);
        }
        for (ArrayDeque<Event> script : scripts) {
            assertTrue(script.isEmpty(), setup + ": a script was left unread: " + script);
        }
    }
}
