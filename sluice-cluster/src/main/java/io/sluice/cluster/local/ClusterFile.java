package io.sluice.cluster.local;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sluice.network.tls.TlsDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * {@code DIR/cluster.json} of a local cluster: where its coordinator listens, the token file, and its processes.
 * Written atomically (a reader sees the old file or the new one, never half of one).
 *
 * @param coordinator    {@code HOST:PORT} of the coordinator's control service
 * @param tokenFile      the cluster token's file (mode 0600)
 * @param coordinatorPid the coordinator's process id
 * @param coordinatorStartedAt when the coordinator process started (epoch ms): with the pid, what tells it from a later
 *                       process that got the same id
 * @param tlsDir         the TLS directory of its processes ({@link TlsDir}), where clients find {@code client.pem}; null
 *                       when the cluster runs without TLS
 * @param workers        the workers the cluster was started with
 * @param rest           {@code HOST:PORT} of the coordinator's REST API, metrics and dashboard; null if unknown
 */
public record ClusterFile(String coordinator, String tokenFile, long coordinatorPid, long coordinatorStartedAt,
        String tlsDir, List<WorkerEntry> workers, String rest) {
    public static final String NAME = "cluster.json";
    /** The name of a client's certificate and key in a cluster's TLS directory. */
    public static final String CLIENT_TLS_NAME = "client";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public ClusterFile {
        workers = List.copyOf(workers);
    }

    /** Without a REST address. */
    public ClusterFile(String coordinator, String tokenFile, long coordinatorPid, long coordinatorStartedAt,
            String tlsDir, List<WorkerEntry> workers) {
        this(coordinator, tokenFile, coordinatorPid, coordinatorStartedAt, tlsDir, workers, null);
    }

    /**
     * One worker process.
     *
     * @param id       its id at the coordinator
     * @param pid      its process id
     * @param dataPort the port of its data server (0 until the data plane is deployed)
     * @param slots    the task slots it offers
     * @param log      its log file
     * @param startedAt when its process started (epoch ms)
     */
    public record WorkerEntry(String id, long pid, int dataPort, int slots, String log, long startedAt) {}

    /** The cluster's TLS directory, if it runs with TLS. */
    public Optional<Path> tls() {
        return Optional.ofNullable(tlsDir).map(Path::of);
    }

    /** The coordinator's host. */
    public String coordinatorHost() {
        return coordinator.substring(0, coordinator.lastIndexOf(':'));
    }

    /** The coordinator's port. */
    public int coordinatorPort() {
        return Integer.parseInt(coordinator.substring(coordinator.lastIndexOf(':') + 1));
    }

    /** Writes {@code DIR/cluster.json}, replacing it atomically. */
    public void write(Path dir) throws IOException {
        Path tmp = dir.resolve(NAME + ".tmp");
        JSON.writeValue(tmp.toFile(), this);
        Files.move(tmp, dir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads {@code DIR/cluster.json}; a missing or damaged file fails naming it. */
    public static ClusterFile read(Path dir) throws IOException {
        Path file = dir.resolve(NAME);
        try {
            ClusterFile read = JSON.readValue(file.toFile(), ClusterFile.class);
            if (read.coordinator() == null || read.coordinator().lastIndexOf(':') < 1 || read.tokenFile() == null) {
                throw new IOException(file + " names no coordinator or token file");
            }
            return read;
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new IOException("no local cluster in " + dir + " (" + file + " does not exist): start one with "
                    + "'bin/sluice cluster start --workers N --dir " + dir + "'", e);
        } catch (JacksonException e) {
            throw new IOException(file + " is not a cluster file: " + e.getOriginalMessage(), e);
        }
    }
}
