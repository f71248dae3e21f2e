package io.sluice.state.rocksdb;

import java.io.IOException;
import java.util.Collection;
import java.util.Optional;

/**
 * What makes a set of files a whole RocksDB database: CURRENT, the MANIFEST that CURRENT names, and an OPTIONS file.
 * RocksDB opens SST files without them as a new, empty database (with create-if-missing) or not at all, so an upload
 * checks its local checkpoint with this before storing it, and a restore checks a state handle before opening it.
 */
final class CheckpointFileSet {
    static final String CURRENT = "CURRENT";
    private static final String MANIFEST_PREFIX = "MANIFEST-";
    private static final String OPTIONS_PREFIX = "OPTIONS-";

    /** Reads the CURRENT file's text; called only when the set holds one. */
    @FunctionalInterface
    interface CurrentFile {
        String read() throws IOException;
    }

    private CheckpointFileSet() {}

    /**
     * The first file a whole database needs that {@code names} lacks, described for an error message
     * ({@code "CURRENT"}, {@code "MANIFEST-000012 (named by CURRENT)"}, {@code "OPTIONS-* file"}); empty when whole.
     *
     * @throws IOException if CURRENT cannot be read or does not name a MANIFEST file
     */
    static Optional<String> missingFile(Collection<String> names, CurrentFile current) throws IOException {
        if (!names.contains(CURRENT)) {
            return Optional.of(CURRENT);
        }
        String manifest = current.read().strip();
        if (!manifest.startsWith(MANIFEST_PREFIX) || !manifest.matches("[A-Za-z0-9._-]+")) {
            throw new IOException("CURRENT does not name a MANIFEST file: '" + manifest + "'");
        }
        if (!names.contains(manifest)) {
            return Optional.of(manifest + " (named by CURRENT)");
        }
        if (names.stream().noneMatch(n -> n.startsWith(OPTIONS_PREFIX))) {
            return Optional.of(OPTIONS_PREFIX + "* file");
        }
        return Optional.empty();
    }
}
