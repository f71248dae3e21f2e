package io.sluice.cluster.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Files named by the SHA-256 of their content (job jars), in one directory: written in order, chunk by chunk, and
 * complete only once the last chunk arrived and the content matches its name; read by any number of readers. A name
 * is exactly 64 lower-case hex digits, so no request can reach outside the directory. Thread-safe.
 */
public final class BlobStore {
    /** The largest blob accepted. */
    public static final long MAX_BYTES = 512L * 1024 * 1024;
    /** The largest chunk read or written at once (well below a control message's limit). */
    public static final int CHUNK_BYTES = 1024 * 1024;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Path dir;

    public BlobStore(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir).toRealPath();
    }

    /** The SHA-256 of a file's content, as 64 lower-case hex digits. */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest = digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Whether the blob named {@code sha256} is complete here. */
    public boolean has(String sha256) {
        return Files.isRegularFile(complete(sha256));
    }

    /** The complete blob's file; fails if it is not here. */
    public Path path(String sha256) throws IOException {
        Path p = complete(sha256);
        if (!Files.isRegularFile(p)) {
            throw new IOException("no blob " + sha256);
        }
        return p;
    }

    /** How many bytes of the blob are here (complete or partial). */
    public synchronized long size(String sha256) throws IOException {
        Path c = complete(sha256);
        if (Files.isRegularFile(c)) {
            return Files.size(c);
        }
        Path p = partial(sha256);
        return Files.isRegularFile(p) ? Files.size(p) : 0;
    }

    /**
     * Appends {@code data} at {@code offset} of blob {@code sha256} of {@code total} bytes; returns whether the blob is
     * complete. A chunk must start where the blob's bytes end (0 starts it again); the last one is checked against the
     * name, and a mismatch discards the blob.
     */
    public synchronized boolean append(String sha256, long offset, byte[] data, long total) throws IOException {
        Path c = complete(sha256);
        if (Files.isRegularFile(c)) {
            return true;
        }
        if (total < 0 || total > MAX_BYTES) {
            throw new IOException("a blob of " + total + " bytes is refused (at most " + MAX_BYTES + ")");
        }
        Path p = partial(sha256);
        long have = offset == 0 ? 0 : Files.isRegularFile(p) ? Files.size(p) : 0;
        if (offset != have || offset + data.length > total) {
            throw new IOException("blob " + sha256 + ": a chunk at offset " + offset + " of " + data.length
                    + " bytes does not follow the " + have + " bytes received (of " + total + ")");
        }
        try (OutputStream out = Files.newOutputStream(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                offset == 0 ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND)) {
            out.write(data);
        }
        if (offset + data.length < total) {
            return false;
        }
        String actual = sha256(p);
        if (!actual.equals(sha256)) {
            Files.deleteIfExists(p);
            throw new IOException("blob " + sha256 + ": the content received has SHA-256 " + actual);
        }
        Files.move(p, c, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    /** Stores {@code bytes} as a complete blob (kept if it is here already); returns its name, their SHA-256. */
    public String put(byte[] bytes) throws IOException {
        MessageDigest digest = digest();
        String sha256 = HexFormat.of().formatHex(digest.digest(bytes));
        append(sha256, 0, bytes, bytes.length);
        return sha256;
    }

    /** Up to {@link #CHUNK_BYTES} bytes of a complete blob from {@code offset} (empty at its end). */
    public byte[] read(String sha256, long offset) throws IOException {
        Path p = path(sha256);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            long size = ch.size();
            if (offset < 0 || offset > size) {
                throw new IOException("blob " + sha256 + " has " + size + " bytes; no offset " + offset);
            }
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, size - offset));
            while (buffer.hasRemaining() && ch.read(buffer, offset + buffer.position()) >= 0) {
                // reads until the chunk is full; a file of a complete blob never shrinks
            }
            return buffer.array();
        }
    }

    private Path complete(String sha256) {
        return dir.resolve(checked(sha256) + ".jar");
    }

    private Path partial(String sha256) {
        return dir.resolve(checked(sha256) + ".part");
    }

    private static String checked(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("a blob name must be 64 lower-case hex digits (a SHA-256), "
                    + (sha256 == null ? "none was given" : "was '" + sha256 + "'"));
        }
        return sha256;
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
