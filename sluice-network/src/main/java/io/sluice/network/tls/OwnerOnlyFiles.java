package io.sluice.network.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that hold a secret (the cluster token, a private key): created with mode 0600 and refused when anyone but
 * their owner may read or write them, for a secret anyone on the machine can read protects nothing.
 */
public final class OwnerOnlyFiles {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private OwnerOnlyFiles() {}

    /**
     * Creates {@code file} (it must not exist) with mode 0600 and writes {@code text} to it, creating its parent
     * directories first.
     */
    public static void create(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.writeString(file, text);
    }

    /**
     * Fails, naming {@code file} as {@code what} (e.g. "token file") and the fix, if others than its owner may read or
     * write it.
     */
    public static void requireOwnerOnly(Path file, String what) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        for (PosixFilePermission p : permissions) {
            if (!OWNER_ONLY.contains(p)) {
                throw new IOException(what + " " + file + " may be read or written by others ("
                        + PosixFilePermissions.toString(permissions) + "): make it rw------- (chmod 600)");
            }
        }
    }
}
