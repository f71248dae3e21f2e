package io.sluice.runtime.checkpoint.alignment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.runtime.checkpoint.alignment.AlignmentChecker.Event;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every possible sequence of events up to a length, for small numbers of channels and checkpoints, against
 * {@link ReferenceAlignment}, checked by {@link AlignmentChecker}. Possible means what a correct task can produce:
 * barriers increasing per channel, nothing read from a blocked or ended channel; cancellations of any id at any time.
 */
class AlignmentExhaustiveTest {

    @ParameterizedTest(name = "{0}, {1} channels, checkpoints 1..{2}, {3} events, maxPending {4}")
    @CsvSource({
            "EXACTLY_ONCE, 1, 3, 6, 1",
            "EXACTLY_ONCE, 2, 3, 6, 1",
            "EXACTLY_ONCE, 3, 2, 6, 1",
            "AT_LEAST_ONCE, 1, 3, 6, 1",
            "AT_LEAST_ONCE, 2, 3, 6, 1",
            "AT_LEAST_ONCE, 2, 3, 6, 2",
            "AT_LEAST_ONCE, 3, 2, 6, 1",
            "AT_LEAST_ONCE, 3, 3, 5, 2",
    })
    void everySequenceAgreesWithTheModel(AlignmentMode mode, int channels, int checkpoints, int length,
            int maxPending) {
        String setup = mode + ", " + channels + " channels, checkpoints 1.." + checkpoints + ", maxPending "
                + maxPending;
        long[] sequences = new long[1];
        explore(new ReferenceAlignment(mode, channels, maxPending), new ArrayList<>(), checkpoints, length, prefix -> {
            AlignmentChecker checker = new AlignmentChecker(mode, channels, maxPending, setup);
            prefix.forEach(checker::apply);
            sequences[0]++;
        });
        System.out.println("AlignmentExhaustiveTest " + setup + ": " + sequences[0] + " sequences of up to " + length
                + " events");
        assertTrue(sequences[0] > 0);
    }

    /** Calls {@code leaf} for every maximal sequence: of {@code length} events, or after which nothing is possible. */
    private static void explore(ReferenceAlignment model, List<Event> prefix, int checkpoints, int length,
            java.util.function.Consumer<List<Event>> leaf) {
        List<Event> possible = length == prefix.size() ? List.of() : possibleEvents(model, checkpoints);
        if (possible.isEmpty()) {
            leaf.accept(prefix);
            return;
        }
        for (Event event : possible) {
            ReferenceAlignment next = model.copy();
            switch (event) {
                case Event.Barrier b -> next.barrier(b.channel(), b.id());
                case Event.End e -> next.end(e.channel());
                case Event.Cancel c -> next.cancel(c.id());
            }
            prefix.add(event);
            explore(next, prefix, checkpoints, length, leaf);
            prefix.removeLast();
        }
    }

    private static List<Event> possibleEvents(ReferenceAlignment model, int checkpoints) {
        List<Event> events = new ArrayList<>();
        for (int c : model.open) {
            if (!model.blocked(c)) {
                for (long id = model.lastBarrier.get(c) + 1; id <= checkpoints; id++) {
                    events.add(new Event.Barrier(c, id));
                }
                events.add(new Event.End(c));
            }
        }
        for (long id = 1; id <= checkpoints; id++) {
            events.add(new Event.Cancel(id));
        }
        return events;
    }
}
