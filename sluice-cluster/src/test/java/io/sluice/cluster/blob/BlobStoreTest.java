package io.sluice.cluster.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The blob store of job jars: confined to its directory (a name is 64 lower-case hex digits or refused, by every
 * operation), complete only when the content matches the name, chunks in order only, and a chunked upload read back
 * chunk by chunk is the content uploaded.
 */
class BlobStoreTest {
    @TempDir
    Path dir;

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** The files in the store's directory (nothing but complete blobs and uploads in progress). */
    private List<String> files() throws IOException {
        try (Stream<Path> list = Files.list(dir.resolve("blobs"))) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void namesThatAreNotSha256HexAreRefusedByEveryOperation() throws Exception {
        BlobStore store = new BlobStore(dir.resolve("blobs"));
        Files.writeString(dir.resolve("secret.jar"), "outside");
        String valid = sha256(new byte[] {1});
        List<String> bad = Arrays.asList("../secret", "../../" + valid.substring(6), valid.toUpperCase(Locale.ROOT),
                valid.substring(1), valid + "0", valid.substring(0, 63) + "g", "/" + valid.substring(1), "", null);
        for (String name : bad) {
            String expected = "a blob name must be 64 lower-case hex digits (a SHA-256), "
                    + (name == null ? "none was given" : "was '" + name + "'");
            List<org.junit.jupiter.api.function.Executable> operations = List.of(
                    () -> store.has(name), () -> store.path(name), () -> store.size(name),
                    () -> store.append(name, 0, new byte[] {1}, 1), () -> store.read(name, 0));
            for (var operation : operations) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, operation, "name " + name);
                assertEquals(expected, e.getMessage());
            }
        }
        assertEquals(List.of(), files(), "nothing was written");
        assertEquals("outside", Files.readString(dir.resolve("secret.jar")));
    }

    @Test
    void contentWhoseHashIsNotItsNameIsRefusedAndDiscarded() throws Exception {
        BlobStore store = new BlobStore(dir.resolve("blobs"));
        byte[] content = random(3_000, 1);
        String claimed = sha256(random(3_000, 2));
        assertFalse(store.append(claimed, 0, Arrays.copyOf(content, 1_000), content.length), "not complete yet");
        IOException e = assertThrows(IOException.class,
                () -> store.append(claimed, 1_000, Arrays.copyOfRange(content, 1_000, 3_000), content.length));
        assertEquals("blob " + claimed + ": the content received has SHA-256 " + sha256(content), e.getMessage());
        assertFalse(store.has(claimed));
        assertEquals(0, store.size(claimed));
        assertEquals(List.of(), files(), "the upload is discarded");
        IOException missing = assertThrows(IOException.class, () -> store.path(claimed));
        assertEquals("no blob " + claimed, missing.getMessage());
    }

    @Test
    void chunksOutOfOrderBeyondTheTotalOrOfAnOversizedBlobAreRefused() throws Exception {
        BlobStore store = new BlobStore(dir.resolve("blobs"));
        byte[] content = random(2_000, 3);
        String name = sha256(content);
        IOException gap = assertThrows(IOException.class, () -> store.append(name, 500, new byte[100], content.length));
        assertEquals("blob " + name + ": a chunk at offset 500 of 100 bytes does not follow the 0 bytes received (of 2000)",
                gap.getMessage());
        assertFalse(store.append(name, 0, Arrays.copyOf(content, 1_000), content.length));
        IOException again = assertThrows(IOException.class,
                () -> store.append(name, 999, Arrays.copyOfRange(content, 999, 2_000), content.length));
        assertTrue(again.getMessage().contains("does not follow the 1000 bytes received"), again.getMessage());
        IOException beyond = assertThrows(IOException.class,
                () -> store.append(name, 1_000, new byte[1_001], content.length));
        assertTrue(beyond.getMessage().contains("a chunk at offset 1000 of 1001 bytes does not follow"), beyond.getMessage());
        for (long total : new long[] {-1, BlobStore.MAX_BYTES + 1}) {
            IOException size = assertThrows(IOException.class, () -> store.append(name, 0, new byte[1], total));
            assertEquals("a blob of " + total + " bytes is refused (at most " + BlobStore.MAX_BYTES + ")", size.getMessage());
        }
        assertEquals(1_000, store.size(name), "the refused chunks changed nothing");
        assertTrue(store.append(name, 1_000, Arrays.copyOfRange(content, 1_000, 2_000), content.length),
                "the upload goes on where it was");
        assertArrayEquals(content, Files.readAllBytes(store.path(name)));
    }

    @Test
    void aChunkedUploadReadBackChunkByChunkIsTheContent() throws Exception {
        BlobStore store = new BlobStore(dir.resolve("blobs"));
        byte[] content = random(BlobStore.CHUNK_BYTES * 2 + 777, 4);
        String name = sha256(content);
        assertFalse(store.append(name, 0, Arrays.copyOf(content, 100), content.length));
        // Starting again at offset 0 drops what an interrupted upload left.
        int chunks = 0;
        for (int offset = 0; offset < content.length; offset += BlobStore.CHUNK_BYTES) {
            int end = Math.min(content.length, offset + BlobStore.CHUNK_BYTES);
            boolean complete = store.append(name, offset, Arrays.copyOfRange(content, offset, end), content.length);
            chunks++;
            assertEquals(end == content.length, complete, "complete only with the last chunk");
            assertEquals(end, store.size(name));
        }
        assertEquals(3, chunks);
        assertTrue(store.has(name));
        assertEquals(List.of(name + ".jar"), files(), "one complete blob, no upload left in progress");
        assertEquals(name, BlobStore.sha256(store.path(name)));

        ByteArrayOutputStream read = new ByteArrayOutputStream();
        for (byte[] chunk; (chunk = store.read(name, read.size())).length > 0; ) {
            assertTrue(chunk.length <= BlobStore.CHUNK_BYTES);
            read.write(chunk);
        }
        assertArrayEquals(content, read.toByteArray());
        IOException past = assertThrows(IOException.class, () -> store.read(name, content.length + 1L));
        assertEquals("blob " + name + " has " + content.length + " bytes; no offset " + (content.length + 1), past.getMessage());
        assertThrows(IOException.class, () -> store.read(name, -1));
        assertTrue(store.append(name, 0, new byte[0], 0), "a complete blob is not written again");
        assertArrayEquals(content, Files.readAllBytes(store.path(name)));
    }
}
