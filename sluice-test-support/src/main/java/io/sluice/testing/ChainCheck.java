package io.sluice.testing;

import java.util.HashSet;
import java.util.Set;

/**
 * Tells a source's witness whether it runs chained to the source, i.e. on the thread that reads it. Chained, the
 * witness sees the source's records in emission order before any barrier that follows them, which is what makes its
 * positions exact in at-least-once mode too. Each task has its own thread, hence a thread-local set of the sources
 * read on it; the keys name a verifier's ledger and a source.
 */
final class ChainCheck {
    private static final ThreadLocal<Set<String>> READ_HERE = ThreadLocal.withInitial(HashSet::new);

    private ChainCheck() {}

    /** The source {@code key} is read on this thread. */
    static void readingHere(String key) {
        if (key != null) {
            READ_HERE.get().add(key);
        }
    }

    /** Whether the source {@code key} is read on this thread. */
    static boolean readHere(String key) {
        return READ_HERE.get().contains(key);
    }
}
