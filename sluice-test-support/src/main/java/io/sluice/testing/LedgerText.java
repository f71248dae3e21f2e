package io.sluice.testing;

import java.util.Arrays;

/**
 * The text encodings of ledger lines: escaped split ids (a ledger line is tab-separated, one line per entry) and sets
 * of offsets as sorted ranges. Stateless.
 */
final class LedgerText {
    private LedgerText() {}

    /** {@code text} with backslash, tab, line feed and carriage return escaped, so it fits in one field. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c != '\\' || i + 1 == field.length()) {
                out.append(c);
                continue;
            }
            char next = field.charAt(++i);
            out.append(switch (next) {
                case 't' -> '\t';
                case 'n' -> '\n';
                case 'r' -> '\r';
                default -> next;
            });
        }
        return out.toString();
    }

    /**
     * The offsets {@code offsets[0..count)} sorted, as comma-separated runs {@code a} or {@code a-b} of consecutive
     * values. An offset present twice appears twice (a run ends before a repeat), so decoding gives back the multiset.
     */
    static void appendRanges(long[] offsets, int count, StringBuilder out) {
        long[] sorted = Arrays.copyOf(offsets, count);
        Arrays.sort(sorted);
        int i = 0;
        while (i < count) {
            long start = sorted[i];
            int j = i;
            while (j + 1 < count && sorted[j + 1] == sorted[j] + 1) {
                j++;
            }
            if (i > 0) {
                out.append(',');
            }
            out.append(start);
            if (j > i) {
                out.append('-').append(sorted[j]);
            }
            i = j + 1;
        }
    }

    /** Receives decoded offsets. */
    @FunctionalInterface
    interface OffsetConsumer {
        void accept(long offset);
    }

    /** Decodes {@link #appendRanges}'s text; a malformed one throws {@link NumberFormatException}. */
    static void forEachOffset(String ranges, OffsetConsumer consumer) {
        int start = 0;
        while (start < ranges.length()) {
            int comma = ranges.indexOf(',', start);
            int end = comma < 0 ? ranges.length() : comma;
            int dash = ranges.indexOf('-', start);
            if (dash > start && dash < end) {
                long from = Long.parseLong(ranges, start, dash, 10);
                long to = Long.parseLong(ranges, dash + 1, end, 10);
                if (to < from) {
                    throw new NumberFormatException("range " + ranges.substring(start, end) + " runs backwards");
                }
                for (long o = from; o <= to; o++) {
                    consumer.accept(o);
                }
            } else {
                consumer.accept(Long.parseLong(ranges, start, end, 10));
            }
            start = end + 1;
        }
    }
}
