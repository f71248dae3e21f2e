package io.sluice.cluster.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The secret every connection of a cluster presents: 32 random bytes, hex-encoded, kept in a file only its owner may
 * read (mode 0600). Compared in constant time. The value never appears in logs or messages ({@link #toString()}).
 */
public final class ClusterToken {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private final String value;

    private ClusterToken(String value) {
        this.value = value;
    }

    /** A fresh random token, written to {@code file} (created with mode 0600; it must not exist yet). */
    public static ClusterToken create(Path file) throws IOException {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        ClusterToken token = new ClusterToken(HexFormat.of().formatHex(secret));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.writeString(file, token.value, StandardCharsets.US_ASCII);
        return token;
    }

    /**
     * The token in {@code file}; refuses a file others may read or write (a token anyone on the machine can read
     * protects nothing) and one that is empty.
     */
    public static ClusterToken read(Path file) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        for (PosixFilePermission p : permissions) {
            if (!OWNER_ONLY.contains(p)) {
                throw new IOException("token file " + file + " may be read or written by others ("
                        + PosixFilePermissions.toString(permissions) + "): make it rw------- (chmod 600)");
            }
        }
        String value = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (value.length() < 32) {
            throw new IOException("token file " + file + " holds no token (fewer than 32 characters)");
        }
        return new ClusterToken(value);
    }

    /** Whether {@code presented} is this token; in time independent of where they differ. */
    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(value.getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII));
    }

    /** The secret, to present on a connection. */
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return "ClusterToken[hidden]";
    }
}
