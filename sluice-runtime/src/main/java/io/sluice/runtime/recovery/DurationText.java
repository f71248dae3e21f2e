package io.sluice.runtime.recovery;

import java.math.BigDecimal;

/** Milliseconds in words for messages: "250 ms", "1.5 s", "60 s". */
final class DurationText {
    private DurationText() {}

    static String of(long millis) {
        if (millis < 1000) {
            return millis + " ms";
        }
        return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + " s";
    }

    /** "1 failure", "3 failures". */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
