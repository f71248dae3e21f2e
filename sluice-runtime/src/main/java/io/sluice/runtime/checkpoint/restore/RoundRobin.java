package io.sluice.runtime.checkpoint.restore;

import java.util.ArrayList;
import java.util.List;

/** Deals items to subtasks like cards: item {@code i} to subtask {@code i % subtasks}, so no two counts differ by more than one. */
final class RoundRobin {
    private RoundRobin() {}

    /** {@code items} dealt over {@code subtasks} lists, each in the items' order. */
    static <T> List<List<T>> deal(List<T> items, int subtasks) {
        List<List<T>> dealt = new ArrayList<>(subtasks);
        for (int s = 0; s < subtasks; s++) {
            dealt.add(new ArrayList<>());
        }
        for (int i = 0; i < items.size(); i++) {
            dealt.get(i % subtasks).add(items.get(i));
        }
        return dealt;
    }
}
