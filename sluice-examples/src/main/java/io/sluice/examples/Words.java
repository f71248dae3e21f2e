package io.sluice.examples;

import io.sluice.api.functions.Collector;
import java.util.Locale;

/** Splits text into words: maximal runs of Unicode letters or digits, lowercased. */
public final class Words {
    private Words() {}

    /** Emits every word of {@code line} into {@code out}, in order. */
    public static void split(String line, Collector<String> out) {
        int n = line.length();
        int i = 0;
        while (i < n) {
            int cp = line.codePointAt(i);
            if (!Character.isLetterOrDigit(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            int start = i;
            while (i < n && Character.isLetterOrDigit(cp = line.codePointAt(i))) {
                i += Character.charCount(cp);
            }
            out.collect(line.substring(start, i).toLowerCase(Locale.ROOT));
        }
    }
}
