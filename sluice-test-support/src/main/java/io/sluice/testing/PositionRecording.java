package io.sluice.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A source witness's record: for each split its records went through since the writer started, the offset of the
 * split's next record. Chained to the source, the witness sees each split's records in order, so at a checkpoint's
 * pre-commit this is exactly where the checkpoint's barrier left each split. Offsets must step by one within a
 * split; a jump means records reached the witness out of order or from elsewhere, and fails at once.
 */
final class PositionRecording implements Recording {

    private final Map<String, Long> next = new LinkedHashMap<>();
    private boolean changed;

    @Override
    public void add(Tag tag) {
        Long expected = next.get(tag.split());
        if (expected != null && expected != tag.offset()) {
            throw new IllegalStateException("the witness of split " + tag.split() + " saw offset " + tag.offset()
                    + " after " + (expected - 1) + ": a source's records must reach its witness in order, each once");
        }
        next.put(tag.split(), tag.offset() + 1);
        changed = true;
    }

    @Override
    public boolean isEmpty() {
        return !changed;
    }

    @Override
    public char kind() {
        return 'W';
    }

    /** All positions known to this writer, not only the changed ones: each line stands alone. */
    @Override
    public void drainInto(StringBuilder line) {
        for (Map.Entry<String, Long> e : next.entrySet()) {
            line.append('\t').append(LedgerText.escape(e.getKey())).append('\t').append(e.getValue());
        }
        changed = false;
    }
}
