package io.sluice.network;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The cluster's shared secret: every data connection starts by presenting it, and a connection that does not is
 * closed before anything else it sends is read. Never printed ({@link #toString} says so), compared in constant
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
