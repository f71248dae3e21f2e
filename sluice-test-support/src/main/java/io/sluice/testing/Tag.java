package io.sluice.testing;

/**
 * Where a record came from: the split of a verified source that emitted it, and its offset in that split (0 for the
 * split's first record, then 1, 2, ... in the order the split emitted them, continuing across restores). The split id
 * is the source's name given to {@link ExactlyOnceVerifier#fromSource}, a {@code /} and the split's own id.
 *
 * <p>Text form ({@link #toString()}, {@link #parse}): {@code split#offset}, e.g. {@code numbers/seq-0#17}. Immutable.
 *
 * @param split  the qualified split id, not empty
 * @param offset the record's offset in its split, not negative
 */
public record Tag(String split, long offset) implements Comparable<Tag> {

    public Tag {
        check(split, offset);
    }

    /** Reads the text form {@code split#offset}; the split is everything before the last {@code #}. */
    public static Tag parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no text to parse a tag from (expected split#offset)");
        }
        int hash = text.lastIndexOf('#');
        if (hash <= 0 || hash == text.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not a tag: expected split#offset, e.g. numbers/seq-0#17");
        }
        long offset;
        try {
            offset = Long.parseLong(text.substring(hash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a tag: the offset after the last '#' is not a number");
        }
        return new Tag(text.substring(0, hash), offset);
    }

    /** The tag at the end of a line written as {@link Tagged#toString()}: the text after the line's last tab. */
    public static Tag fromLine(String line) {
        return parse(line.substring(lastTab(line) + 1));
    }

    /** Where the tag of a line written as {@link Tagged#toString()} starts, minus one: the line's last tab. */
    static int lastTab(String line) {
        if (line == null) {
            throw new IllegalArgumentException("no line to read a tag from");
        }
        int tab = line.lastIndexOf('\t');
        if (tab < 0) {
            throw new IllegalArgumentException("the line '" + line + "' holds no tab-separated tag at its end "
                    + "(written by Tagged.toString(): value, tab, split#offset)");
        }
        return tab;
    }

    @Override
    public int compareTo(Tag other) {
        int bySplit = split.compareTo(other.split);
        return bySplit != 0 ? bySplit : Long.compare(offset, other.offset);
    }

    @Override
    public String toString() {
        return split + "#" + offset;
    }

    /** The checks shared with {@link Tagged}: a split id that is not empty, an offset that is not negative. */
    static void check(String split, long offset) {
        if (split == null || split.isEmpty()) {
            throw new IllegalArgumentException("a tag needs a split id; it was " + (split == null ? "missing" : "empty")
                    + " (offset " + offset + ")");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("the offset of a tag must not be negative, was " + offset + " (split " + split + ")");
        }
    }
}
