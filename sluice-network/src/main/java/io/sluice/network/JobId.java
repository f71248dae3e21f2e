package io.sluice.network;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A job's identity across processes: 128 random bits, drawn once when the job is submitted. Every channel and every
 * data frame carries it with the execution attempt, so data can never reach another job, even one whose tasks happen
 * to have the same channel ids (Netflix Mantis once routed data to the wrong job after a worker re-registered).
 *
 * @param high the first 64 bits
 * @param low  the last 64 bits
 */
public record JobId(long high, long low) {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A fresh random id. Thread-safe. */
    public static JobId random() {
        return new JobId(RANDOM.nextLong(), RANDOM.nextLong());
    }

    /** Reads the 32 hexadecimal digits {@link #toString} writes. */
    public static JobId parse(String hex) {
        if (hex.length() != 32) {
            throw new IllegalArgumentException("a job id is 32 hexadecimal digits, got '" + hex + "'");
        }
        return new JobId(HexFormat.fromHexDigits(hex, 0, 16), HexFormat.fromHexDigits(hex, 16, 32));
    }

    /** 32 hexadecimal digits. */
    @Override
    public String toString() {
        return HexFormat.of().toHexDigits(high) + HexFormat.of().toHexDigits(low);
    }
}
