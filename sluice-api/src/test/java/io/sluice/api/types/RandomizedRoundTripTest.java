package io.sluice.api.types;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random values of a nested record type; the seed is fixed and printed in every failure message. */
class RandomizedRoundTripTest {

    private static final long SEED = 0x511CEL;

    enum Kind { CLICK, VIEW, PURCHASE }

    record Tag(String key, Optional<String> value) {}

    record Item(String sku, int quantity, double price, Kind kind, List<Tag> tags) {}

    record Event(long id, String user, Item main, List<Item> items, Map<String, Item> byName,
            Map<String, Long> counters, Optional<Kind> kind, byte flags, char grade, Boolean seen, Float score) {}

    @Test
    void thousandRandomNestedRecordsRoundTrip() throws IOException {
        Random random = new Random(SEED);
        TypeSerializer<Event> serializer = Types.of(Event.class);
        for (int n = 0; n < 1_000; n++) {
            Event event = randomEvent(random);
            String context = "seed " + SEED + ", value #" + n + ": " + event;
            assertEquals(event, RoundTrip.roundTrip(serializer, event), context);
        }
    }

    @Test
    void thousandRandomNestedRecordsCopyDeeply() {
        Random random = new Random(SEED);
        TypeSerializer<Event> serializer = Types.of(Event.class);
        for (int n = 0; n < 1_000; n++) {
            Event event = randomEvent(random);
            String context = "seed " + SEED + ", value #" + n + ": " + event;
            Event copy = serializer.copy(event);
            assertEquals(event, copy, context);
            CopyTest.assertIndependent(event, copy, context);
        }
    }

    @Test
    void manyValuesBackToBackInOneStream() throws IOException {
        Random random = new Random(SEED);
        TypeSerializer<Event> serializer = Types.of(Event.class);
        List<Event> events = new ArrayList<>();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buffer);
        for (int n = 0; n < 1_000; n++) {
            Event event = randomEvent(random);
            events.add(event);
            serializer.serialize(event, out);
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(buffer.toByteArray()));
        for (int n = 0; n < events.size(); n++) {
            assertEquals(events.get(n), serializer.deserialize(in), "seed " + SEED + ", value #" + n);
        }
        assertEquals(0, in.available(), "seed " + SEED);
    }

    private static Event randomEvent(Random r) {
        int itemCount = r.nextInt(4);
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < itemCount; i++) {
            items.add(randomItem(r));
        }
        Map<String, Item> byName = new LinkedHashMap<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            byName.put(randomString(r), randomItem(r));
        }
        Map<String, Long> counters = new LinkedHashMap<>();
        for (int i = r.nextInt(5); i > 0; i--) {
            counters.put(randomString(r), r.nextLong());
        }
        return new Event(
                r.nextLong(),
                nullOr(r, () -> randomString(r)),
                nullOr(r, () -> randomItem(r)),
                nullOr(r, () -> items),
                nullOr(r, () -> byName),
                counters,
                nullOr(r, () -> r.nextBoolean() ? Optional.of(randomKind(r)) : Optional.empty()),
                (byte) r.nextInt(),
                (char) r.nextInt(Character.MAX_VALUE + 1),
                nullOr(r, r::nextBoolean),
                nullOr(r, r::nextFloat));
    }

    private static Item randomItem(Random r) {
        List<Tag> tags = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            tags.add(new Tag(randomString(r), r.nextBoolean() ? Optional.of(randomString(r)) : Optional.empty()));
        }
        return new Item(nullOr(r, () -> randomString(r)), r.nextInt(), r.nextDouble() * 1000 - 500,
                nullOr(r, () -> randomKind(r)), tags);
    }

    private static Kind randomKind(Random r) {
        return Kind.values()[r.nextInt(Kind.values().length)];
    }

    /** Mostly ASCII, with some 2-, 3- and 4-byte characters and the occasional unpaired surrogate. */
    private static String randomString(Random r) {
        StringBuilder s = new StringBuilder();
        for (int i = r.nextInt(12); i > 0; i--) {
            switch (r.nextInt(10)) {
                case 0 -> s.append((char) (0x80 + r.nextInt(0x780)));
                case 1 -> s.append((char) (0x800 + r.nextInt(0xD000 - 0x800)));
                case 2 -> s.appendCodePoint(0x10000 + r.nextInt(0x100000));
                case 3 -> s.append((char) (0xD800 + r.nextInt(0x800)));
                default -> s.append((char) (0x20 + r.nextInt(0x5F)));
            }
        }
        return s.toString();
    }

    private static <T> T nullOr(Random r, java.util.function.Supplier<T> value) {
        return r.nextInt(8) == 0 ? null : value.get();
    }
}
