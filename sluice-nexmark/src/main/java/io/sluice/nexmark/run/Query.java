package io.sluice.nexmark.run;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The Nexmark queries this project implements, and {@code kc}, the keyed count of BENCHMARKS.md over the same bids
 * (results defined in {@code docs/nexmark.md}). Engine-neutral.
 */
public enum Query {
    Q0, Q1, Q2, Q3, Q4, Q5, Q7, Q8, Q11, KC;

    /** The name on command lines and in {@link RunLine}s: {@code q5}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The query named {@code name} ({@code q5}, case-insensitive); fails naming the valid ones. */
    public static Query parse(String name) {
        for (Query q : values()) {
            if (q.id().equalsIgnoreCase(name)) {
                return q;
            }
        }
        throw new IllegalArgumentException("unknown query '" + name + "': valid queries are " + names());
    }

    /** {@code q0, q1, ...}. */
    public static String names() {
        return Arrays.stream(values()).map(Query::id).collect(Collectors.joining(", "));
    }
}
