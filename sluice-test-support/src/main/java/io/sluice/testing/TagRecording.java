package io.sluice.testing;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every tag of a transaction, per split, as ranges of offsets: what a verified sink's transaction holds. A tag added
 * twice stays twice (a duplicate inside one transaction is still a duplicate).
 */
final class TagRecording implements Recording {

    /** A growable array of one split's offsets. */
    private static final class Offsets {
        long[] values = new long[16];
        int size;

        void add(long offset) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = offset;
        }
    }

    private final Map<String, Offsets> bySplit = new LinkedHashMap<>();

    @Override
    public void add(Tag tag) {
        bySplit.computeIfAbsent(tag.split(), s -> new Offsets()).add(tag.offset());
    }

    @Override
    public boolean isEmpty() {
        return bySplit.isEmpty();
    }

    @Override
    public char kind() {
        return 'T';
    }

    @Override
    public void drainInto(StringBuilder line) {
        for (Map.Entry<String, Offsets> e : bySplit.entrySet()) {
            line.append('\t').append(LedgerText.escape(e.getKey())).append('\t');
            LedgerText.appendRanges(e.getValue().values, e.getValue().size, line);
        }
        bySplit.clear();
    }
}
