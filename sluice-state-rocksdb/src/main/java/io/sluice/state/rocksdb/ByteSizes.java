package io.sluice.state.rocksdb;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes in bytes as people write them: {@code 67108864}, {@code 64mb}, {@code 64 MiB}, {@code 1g}. Units are binary
 * ({@code k} = 1024) and case-insensitive; {@code b}, {@code k}/{@code kb}/{@code kib}, {@code m}/{@code mb}/{@code mib},
 * {@code g}/{@code gb}/{@code gib}, {@code t}/{@code tb}/{@code tib}. Whole numbers only. Stateless.
 */
final class ByteSizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([a-z]*)");

    private ByteSizes() {}

    /**
     * The number of bytes {@code text} stands for.
     *
     * @throws IllegalArgumentException when it is not a size or does not fit in a long
     */
    static long parse(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: expected a whole number with an optional unit such as 64mb or 1g");
        }
        int shift = switch (m.group(2)) {
            case "", "b" -> 0;
            case "k", "kb", "kib" -> 10;
            case "m", "mb", "mib" -> 20;
            case "g", "gb", "gib" -> 30;
            case "t", "tb", "tib" -> 40;
            default -> throw new IllegalArgumentException("unknown unit '" + m.group(2) + "': use b, kb, mb, gb or tb");
        };
        long number;
        try {
            number = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("too large");
        }
        if (number > Long.MAX_VALUE >> shift) {
            throw new IllegalArgumentException("too large");
        }
        return number << shift;
    }

    /** {@code bytes} in the largest binary unit that divides it or keeps one decimal, e.g. {@code 64 MiB}, {@code 1.5 GiB}. */
    static String format(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        double value = bytes;
        while (unit < units.length - 1 && value >= 1024) {
            value /= 1024;
            unit++;
        }
        return value == Math.rint(value)
                ? String.format(Locale.ROOT, "%d %s", (long) value, units[unit])
                : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
