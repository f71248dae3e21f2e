package io.sluice.runtime.checkpoint.alignment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sluice.runtime.checkpoint.alignment.AlignmentAction.AbortCheckpoint;
import io.sluice.runtime.checkpoint.alignment.AlignmentAction.None;
import io.sluice.runtime.checkpoint.alignment.AlignmentAction.TriggerCheckpoint;
import java.util.ArrayList;
import java.util.List;

/** Action chains as lists of words ("abort 1 SUBSUMED", "trigger 2"), after checking the chain's shape. */
final class Actions {
    private Actions() {}

    static List<String> words(AlignmentAction chain) {
        List<String> words = new ArrayList<>();
        for (AlignmentAction a = chain; a != AlignmentAction.NONE; a = a.next()) {
            assertFalse(words.size() > 0 && words.getLast().startsWith("trigger"), "a trigger must be last: " + chain);
            switch (a) {
                case TriggerCheckpoint t -> words.add("trigger " + t.checkpointId());
                case AbortCheckpoint ab -> words.add("abort " + ab.checkpointId() + " " + ab.reason());
                case None n -> throw new AssertionError("a None other than NONE in " + chain);
            }
        }
        return words;
    }

    static void assertActions(AlignmentAction actual, String... expected) {
        assertEquals(List.of(expected), words(actual));
    }
}
