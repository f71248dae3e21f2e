package io.sluice.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger's text: split ids and offset sets survive the round trip, and a torn last line is ignored. */
class LedgerTest {

    @TempDir
    Path dir;

    @Test
    void offsetsRoundTripAsRangesKeepingRepeats() {
        Random random = new Random(42);
        for (int run = 0; run < 200; run++) {
            int n = random.nextInt(60);
            long[] offsets = new long[n];
            for (int i = 0; i < n; i++) {
                offsets[i] = random.nextInt(40);
            }
            StringBuilder text = new StringBuilder();
            LedgerText.appendRanges(offsets, n, text);
            List<Long> decoded = new ArrayList<>();
            LedgerText.forEachOffset(text.toString(), decoded::add);
            assertEquals(java.util.Arrays.stream(offsets).sorted().boxed().toList(), decoded, "run " + run + ": " + text);
        }
        StringBuilder text = new StringBuilder();
        LedgerText.appendRanges(new long[] {7, 5, 6, 6, 9}, 5, text);
        assertEquals("5-6,6-7,9", text.toString());
    }

    @Test
    void splitIdsWithTabsLineEndsAndBackslashesSurvive() throws IOException {
        String split = "odd\tsplit\\with\nline\rends and # signs";
        LedgerFile file = LedgerFile.create(dir);
        TagRecording tags = new TagRecording();
        tags.add(new Tag(split, 3));
        tags.add(new Tag(split, 4));
        String id = file.newTransactionId();
        file.preCommitted(id, 5, 1, tags);
        file.committed(id);
        List<String> seen = new ArrayList<>();
        LedgerReader.read(dir, new LedgerReader.Visitor() {
            @Override
            public void preCommitted(LedgerReader.PreCommit t) throws IOException {
                assertEquals(5, t.checkpointId());
                assertEquals(1, t.subtask());
                t.forEachTag((s, o) -> seen.add(t.id() + " " + new Tag(s, o)));
            }

            @Override
            public void committed(String transactionId) {
                seen.add("commit " + transactionId);
            }
        });
        assertEquals(List.of(id + " " + split + "#3", id + " " + split + "#4", "commit " + id), seen);
    }

    @Test
    void aTornLastLineIsIgnoredAndAMalformedOneNamesItsPlace() throws IOException {
        LedgerFile file = LedgerFile.create(dir);
        String id = file.newTransactionId();
        file.committed(id);
        Path path;
        try (var files = Files.list(dir)) {
            path = files.findFirst().orElseThrow();
        }
        Files.writeString(path, "C\tcut-off-by-a-ki", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        List<String> committed = new ArrayList<>();
        LedgerReader.read(dir, visitor(committed));
        assertEquals(List.of(id), committed);

        Files.writeString(path, "ll\nX\tnonsense\nC\tlast\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        IOException e = assertThrows(IOException.class, () -> LedgerReader.read(dir, visitor(new ArrayList<>())));
        assertTrue(e.getMessage().contains(path + ":3") && e.getMessage().contains("unknown line kind 'X'"), e.getMessage());
    }

    private static LedgerReader.Visitor visitor(List<String> committed) {
        return new LedgerReader.Visitor() {
            @Override
            public void preCommitted(LedgerReader.PreCommit t) {}

            @Override
            public void committed(String transactionId) {
                committed.add(transactionId);
            }
        };
    }

    @Test
    void tagsReadBackFromTheirTextAndRejectBadTextClearly() {
        assertEquals(new Tag("numbers/a#b", 17), Tag.parse("numbers/a#b#17"));
        assertEquals(new Tag("numbers/seq-0", 3), Tag.fromLine("k1\t7\tnumbers/seq-0#3"));
        assertEquals("v\tnumbers/seq-0#3", new Tagged<>("numbers/seq-0", 3, "v").toString());
        for (String bad : List.of("seq-0", "#3", "seq-0#", "seq-0#x", "seq-0#-1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tag.parse(bad));
            assertTrue(!e.getMessage().contains("null"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Tagged<>(null, 0, "v"));
        assertEquals("a tag needs a split id; it was missing (offset 0)", e.getMessage());
        assertEquals("v\tw", Tagged.valueText("v\tw\tnumbers/seq-0#3"));
        e = assertThrows(IllegalArgumentException.class, () -> Tagged.valueText(null));
        assertEquals("no line to read a tag from", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tag.fromLine("no tag"));
        assertTrue(e.getMessage().startsWith("the line 'no tag' holds no tab-separated tag"), e.getMessage());
    }
}
