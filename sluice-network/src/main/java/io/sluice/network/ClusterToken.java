package io.sluice.network;

import io.sluice.network.tls.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The cluster's shared secret: every data connection starts by presenting it, and a connection that does not is
 * closed before anything else it sends is read; every control call presents it too (as hex text). Kept in a file only
 * its owner may read ({@link #create}, {@link #read}). Never printed ({@link #toString} says so), compared in constant
 * time. Immutable and thread-safe.
 */
public final class ClusterToken {
    /** Shorter secrets are guessable; longer ones are refused so that a handshake stays small and bounded. */
    static final int MIN_BYTES = 16;
    static final int MAX_BYTES = 1024;

    private final byte[] secret;
    private final byte[] digest;

    private ClusterToken(byte[] secret) {
        this.secret = secret.clone();
        this.digest = sha256(this.secret);
    }

    /** A token of these bytes (copied), {@value #MIN_BYTES} to {@value #MAX_BYTES} of them. */
    public static ClusterToken of(byte[] secret) {
        if (secret.length < MIN_BYTES || secret.length > MAX_BYTES) {
            throw new IllegalArgumentException("a cluster token has " + MIN_BYTES + " to " + MAX_BYTES
                    + " bytes, this one " + secret.length);
        }
        return new ClusterToken(secret);
    }

    /** 32 random bytes. */
    public static ClusterToken random() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return new ClusterToken(bytes);
    }

    /**
     * A fresh random token, written to {@code file} as hex text, the file created with mode 0600 (it must not exist
     * yet: an existing token is never overwritten).
     */
    public static ClusterToken create(Path file) throws IOException {
        ClusterToken token = random();
        OwnerOnlyFiles.create(file, token.hex());
        return token;
    }

    /**
     * The token in {@code file} (hex text); refuses a file others may read or write (a token anyone on the machine can
     * read protects nothing), and one that holds no token.
     */
    public static ClusterToken read(Path file) throws IOException {
        OwnerOnlyFiles.requireOwnerOnly(file, "token file");
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        try {
            return of(HexFormat.of().parseHex(text));
        } catch (IllegalArgumentException e) {
            throw new IOException("token file " + file + " holds no token (" + MIN_BYTES + " to " + MAX_BYTES
                    + " bytes as hex text)", e);
        }
    }

    /** The secret as hex text, to present where bytes cannot go (a gRPC header). */
    public String hex() {
        return HexFormat.of().formatHex(secret);
    }

    /** Whether {@code presentedHex} is this secret as hex text; malformed text matches nothing. */
    public boolean matches(String presentedHex) {
        if (presentedHex == null) {
            return false;
        }
        try {
            return matches(HexFormat.of().parseHex(presentedHex));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The secret's bytes, to send in a handshake (a copy). */
    byte[] bytes() {
        return secret.clone();
    }

    /**
     * Whether {@code presented} is this secret. Compares digests, so the time taken tells neither how many leading
     * bytes matched nor the secret's length.
     */
    boolean matches(byte[] presented) {
        return MessageDigest.isEqual(digest, sha256(presented));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "ClusterToken(secret not shown)";
    }
}
