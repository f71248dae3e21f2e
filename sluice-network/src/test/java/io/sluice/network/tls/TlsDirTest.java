package io.sluice.network.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local cluster's TLS directory as {@link ClusterCa} makes it and {@link TlsDir} loads it: what the certificates
 * say, what is made again (nothing that exists), and every kind of bad material refused naming its file.
 */
class TlsDirTest {
    private static final List<String> NAMES = List.of("coordinator", "worker-1", "client");

    /** Loading fails; the message names {@code file} and says {@code what}, and never says "null". */
    private static void refused(Path dir, String name, Path file, String what) {
        IOException e = assertThrows(IOException.class, () -> TlsDir.load(dir, name));
        assertTrue(e.getMessage().contains(file.toString()), "names " + file + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(what), "says '" + what + "': " + e.getMessage());
        assertFalse(e.getMessage().contains("null"), e.getMessage());
    }

    @Test
    void aNewDirectoryHoldsACaAndACertificateAndKeyPerProcess(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("tls");
        assertEquals(NAMES, ClusterCa.ensure(dir, NAMES, ClusterCa.LOOPBACK));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        for (String key : List.of("ca.key", "coordinator.key", "worker-1.key", "client.key")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key))), key);
        }
        TlsDir worker = TlsDir.load(dir, "worker-1");
        X509Certificate cert = worker.chain().getFirst();
        assertEquals("CN=worker-1,O=Sluice", cert.getSubjectX500Principal().getName());
        assertEquals(worker.ca().getSubjectX500Principal(), cert.getIssuerX500Principal());
        cert.verify(worker.ca().getPublicKey());
        assertTrue(worker.ca().getBasicConstraints() >= 0, "the CA may sign");
        assertEquals(-1, cert.getBasicConstraints(), "a process certificate may not");
        assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), cert.getExtendedKeyUsage(), "server and client");
        List<String> names = cert.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()).toList();
        assertEquals(List.of("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1"), names);
        assertTrue(cert.getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofDays(300))), "valid for a year");
        assertTrue(cert.getNotBefore().toInstant().isBefore(Instant.now()), "valid now");
        assertEquals("EC", worker.key().getAlgorithm());
        assertEquals("worker-1", worker.name());
        assertFalse(worker.toString().contains(worker.key().toString()), "the key is never printed");
    }

    @Test
    void onlyWhatIsMissingIsMadeAndTheCaIssuesIt(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("tls");
        ClusterCa.ensure(dir, NAMES, ClusterCa.LOOPBACK);
        byte[] ca = Files.readAllBytes(dir.resolve("ca.pem"));
        byte[] worker = Files.readAllBytes(dir.resolve("worker-1.pem"));
        assertEquals(List.of("worker-2"), ClusterCa.ensure(dir, List.of("coordinator", "worker-1", "worker-2"),
                ClusterCa.LOOPBACK));
        assertArrayEquals(ca, Files.readAllBytes(dir.resolve("ca.pem")), "the CA is kept");
        assertArrayEquals(worker, Files.readAllBytes(dir.resolve("worker-1.pem")), "existing certificates are kept");
        TlsDir.load(dir, "worker-2").chain().getFirst().verify(TlsDir.load(dir, "coordinator").ca().getPublicKey());

        Files.delete(dir.resolve("ca.key"));
        IOException noCaKey = assertThrows(IOException.class, () -> ClusterCa.ensure(dir, List.of("worker-3"), ClusterCa.LOOPBACK));
        assertTrue(noCaKey.getMessage().contains(dir.resolve("ca.key").toString()), noCaKey.getMessage());
        Files.delete(dir.resolve("worker-2.key"));
        IOException half = assertThrows(IOException.class, () -> ClusterCa.ensure(dir, List.of("worker-2"), ClusterCa.LOOPBACK));
        assertTrue(half.getMessage().startsWith(dir.resolve("worker-2.key") + " is missing while "), half.getMessage());
    }

    @Test
    void missingFilesAreNamed(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("tls");
        refused(dir, "worker-1", dir, "does not exist");
        ClusterCa.ensure(dir, NAMES, ClusterCa.LOOPBACK);
        refused(dir, "worker-9", dir.resolve("worker-9.pem"), "is missing");
        Files.delete(dir.resolve("client.key"));
        refused(dir, "client", dir.resolve("client.key"), "is missing");
        Files.delete(dir.resolve("ca.pem"));
        refused(dir, "worker-1", dir.resolve("ca.pem"), "is missing");
    }

    @Test
    void unreadableKeysAreRefusedNamingTheFileAndTheFix(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("tls");
        ClusterCa.ensure(dir, List.of("a", "b"), ClusterCa.LOOPBACK);
        Path key = dir.resolve("a.key");

        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        refused(dir, "a", key, "chmod 600");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));

        String pkcs8 = Files.readString(key);
        Files.writeString(key, pkcs8.replace("PRIVATE KEY", "EC PRIVATE KEY"));
        refused(dir, "a", key, "openssl pkcs8 -topk8 -nocrypt");
        Files.writeString(key, pkcs8.replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY"));
        refused(dir, "a", key, "encrypted");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        refused(dir, "a", key, "holds no private key this JVM can read");
        Files.writeString(key, "not PEM at all");
        refused(dir, "a", key, "holds no PEM block");

        Files.copy(dir.resolve("b.key"), key, StandardCopyOption.REPLACE_EXISTING);
        refused(dir, "a", key, "is not the key of the certificate in " + dir.resolve("a.pem"));
    }

    @Test
    void certificatesOfAnotherCaExpiredOnesAndACaThatIsNoneAreRefused(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("tls");
        Path other = tmp.resolve("other");
        ClusterCa.ensure(dir, List.of("worker-1"), ClusterCa.LOOPBACK);
        ClusterCa.ensure(other, List.of("client"), ClusterCa.LOOPBACK);
        TlsDir.load(other, "client"); // good in its own directory
        Files.copy(other.resolve("client.pem"), dir.resolve("stranger.pem"));
        Files.copy(other.resolve("client.key"), dir.resolve("stranger.key"));
        refused(dir, "stranger", dir.resolve("stranger.pem"), "is not signed by the cluster CA in " + dir.resolve("ca.pem"));

        ClusterCa.issue(dir, "old", ClusterCa.LOOPBACK, Instant.now().minus(Duration.ofDays(400)),
                Instant.now().minus(Duration.ofDays(1)));
        refused(dir, "old", dir.resolve("old.pem"), "expired on");

        Files.writeString(dir.resolve("bad.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        Files.copy(dir.resolve("worker-1.key"), dir.resolve("bad.key"));
        refused(dir, "bad", dir.resolve("bad.pem"), "not an X.509 certificate");
        Files.writeString(dir.resolve("bad.pem"), "no certificate here");
        refused(dir, "bad", dir.resolve("bad.pem"), "holds no certificate");

        Path notCa = tmp.resolve("not-ca");
        Files.createDirectories(notCa);
        Files.copy(dir.resolve("worker-1.pem"), notCa.resolve("ca.pem"));
        Files.copy(dir.resolve("worker-1.pem"), notCa.resolve("worker-1.pem"));
        Files.copy(dir.resolve("worker-1.key"), notCa.resolve("worker-1.key"));
        refused(notCa, "worker-1", notCa.resolve("ca.pem"), "is not a CA certificate");
    }
}
