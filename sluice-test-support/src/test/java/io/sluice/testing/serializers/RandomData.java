package io.sluice.testing.serializers;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/** Random pieces of values for the serializer contract tests. */
final class RandomData {
    private RandomData() {}

    /** Up to {@code maxLength} chars: mostly ASCII, some 2-, 3- and 4-byte UTF-8 characters, now and then a lone surrogate. */
    static String string(Random random, int maxLength) {
        StringBuilder s = new StringBuilder();
        for (int n = random.nextInt(maxLength + 1); s.length() < n; ) {
            int kind = random.nextInt(16);
            if (kind == 0) {
                s.append((char) (0xD800 + random.nextInt(0x800))); // unpaired surrogate
            } else if (kind == 1) {
                s.appendCodePoint(0x10000 + random.nextInt(0x10FFFF - 0x10000));
            } else if (kind < 4) {
                s.append((char) (0x80 + random.nextInt(0xD800 - 0x80)));
            } else {
                s.append((char) (' ' + random.nextInt(95)));
            }
        }
        return s.toString();
    }

    static byte[] bytes(Random random, int maxLength) {
        byte[] bytes = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A mutable list of up to {@code maxSize} elements. */
    static <E> List<E> list(Random random, int maxSize, Supplier<E> element) {
        List<E> list = new ArrayList<>();
        for (int n = random.nextInt(maxSize + 1); n > 0; n--) {
            list.add(element.get());
        }
        return list;
    }

    /** {@code null} one time in {@code oneIn}, else a value. */
    static <E> E orNull(Random random, int oneIn, Supplier<E> value) {
        return random.nextInt(oneIn) == 0 ? null : value.get();
    }
}
