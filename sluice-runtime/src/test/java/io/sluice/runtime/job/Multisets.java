package io.sluice.runtime.job;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Compares collections as multisets (order ignored, multiplicity kept), with readable differences. */
final class Multisets {
    private Multisets() {}

    static <T> Map<T, Long> counts(Collection<? extends T> values) {
        Map<T, Long> counts = new HashMap<>();
        for (T v : values) {
            counts.merge(v, 1L, Long::sum);
        }
        return counts;
    }

    /** Fails unless {@code actual} holds exactly the elements of {@code expected}, each as often. */
    static <T> void assertSameMultiset(Collection<? extends T> expected, Collection<? extends T> actual, String message) {
        Map<T, Long> want = counts(expected);
        Map<T, Long> got = counts(actual);
        if (want.equals(got)) {
            return;
        }
        List<String> differences = new ArrayList<>();
        Map<String, String> sorted = new TreeMap<>();
        for (T k : want.keySet()) {
            long g = got.getOrDefault(k, 0L);
            if (g != want.get(k)) {
                sorted.put(String.valueOf(k), k + ": expected " + want.get(k) + "x, got " + g + "x");
            }
        }
        for (T k : got.keySet()) {
            if (!want.containsKey(k)) {
                sorted.put(String.valueOf(k), k + ": expected 0x, got " + got.get(k) + "x");
            }
        }
        for (String d : sorted.values()) {
            if (differences.size() == 20) {
                differences.add("... (" + (sorted.size() - 20) + " more)");
                break;
            }
            differences.add(d);
        }
        fail(message + ": " + expected.size() + " expected vs " + actual.size() + " actual records; "
                + sorted.size() + " values differ: " + differences);
    }
}
