package io.sluice.cli.cluster;

import io.sluice.network.ClusterToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The token file a process is given: read if it exists, otherwise created (mode 0600). */
final class TokenFiles {
    private TokenFiles() {}

    static ClusterToken readOrCreate(Path file) throws IOException {
        return Files.exists(file) ? ClusterToken.read(file) : ClusterToken.create(file);
    }
}
