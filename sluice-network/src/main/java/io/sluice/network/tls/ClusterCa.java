package io.sluice.network.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Makes the TLS directory of a local cluster ({@link TlsDir}'s layout) with nothing but the JDK: a cluster CA and,
 * for each process name, a certificate and key it signs. Keys are EC P-256, certificates X.509 v3 signed with
 * ECDSA-SHA256, encoded here ({@link Der}) and parsed back by the JDK before they are written. A process certificate
 * names the given hosts (DNS names and IP addresses as subject alternative names, which clients check against the
 * host they dial) and may serve both ends of a connection (server and client authentication), so one certificate is
 * a worker's on its control connection and on both sides of its data connections.
 *
 * <p>Validity: the CA {@value #CA_VALIDITY_DAYS} days, a process certificate {@value #VALIDITY_DAYS} days, both from an
 * hour ago (clocks differ a little). Keys are written with mode 0600, the directory made with mode 0700.
 */
public final class ClusterCa {
    /** What a local cluster's certificates name: every way to say loopback. */
    public static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "::1");
    static final int CA_VALIDITY_DAYS = 5 * 365;
    static final int VALIDITY_DAYS = 365;

    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String ORGANIZATION = "2.5.4.10";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String SUBJECT_KEY_ID = "2.5.29.14";
    private static final String AUTHORITY_KEY_ID = "2.5.29.35";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ClusterCa() {}

    /**
     * Makes {@code dir} hold a cluster CA and a certificate and key for each of {@code names} naming {@code hosts},
     * creating only what is missing: an existing CA issues the missing certificates (with {@code DIR/ca.key}), and
     * existing certificates are kept. Returns the names whose certificates were made now.
     *
     * @throws IOException naming the file at fault: half of a pair present, or a certificate to issue without the
     *                     CA's key
     */
    public static List<String> ensure(Path dir, List<String> names, List<String> hosts) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path caFile = root.resolve(TlsDir.CA_CERTIFICATE);
        Path caKeyFile = root.resolve(TlsDir.CA_KEY);
        if (!Files.exists(caFile) && !Files.exists(caKeyFile)) {
            writeCa(root, Instant.now());
        }
        List<String> made = new ArrayList<>();
        for (String name : names) {
            Path cert = root.resolve(name + ".pem");
            Path key = root.resolve(name + ".key");
            if (Files.exists(cert) && Files.exists(key)) {
                continue;
            }
            if (Files.exists(cert) || Files.exists(key)) {
                throw new IOException((Files.exists(cert) ? key : cert) + " is missing while " + (Files.exists(cert) ? cert : key)
                        + " exists: put the certificate and key of " + name + " there, or remove both to have new ones made");
            }
            issue(root, name, hosts, Instant.now(), Instant.now().plus(Duration.ofDays(VALIDITY_DAYS)));
            made.add(name);
        }
        return made;
    }

    /** Writes a new CA into {@code dir}: {@code ca.key} (0600) and {@code ca.pem}. */
    static void writeCa(Path dir, Instant now) throws IOException {
        KeyPair pair = newKeyPair();
        byte[] name = name("Sluice cluster CA " + HexFormat.of().formatHex(randomBytes(4)));
        byte[] keyId = keyId(pair.getPublic());
        byte[] certificate = certificate(name, name, pair.getPublic(), pair.getPrivate(), start(now),
                start(now).plus(Duration.ofDays(CA_VALIDITY_DAYS)), List.of(
                        extension(BASIC_CONSTRAINTS, true, Der.sequence(Der.bool(true))),
                        extension(KEY_USAGE, true, Der.bitString(new byte[] {0x06}, 1)), // keyCertSign, cRLSign
                        extension(SUBJECT_KEY_ID, false, Der.octetString(keyId))));
        OwnerOnlyFiles.create(dir.resolve(TlsDir.CA_KEY), Pem.write(Pem.PRIVATE_KEY, pair.getPrivate().getEncoded()));
        Files.writeString(dir.resolve(TlsDir.CA_CERTIFICATE), Pem.write(Pem.CERTIFICATE, certificate),
                StandardCharsets.US_ASCII);
    }

    /**
     * Issues {@code name}'s certificate, valid from {@code notBefore} (less an hour) to {@code notAfter}, with the CA
     * of {@code dir}, writing {@code NAME.key} (0600) and {@code NAME.pem}.
     */
    static void issue(Path dir, String name, List<String> hosts, Instant notBefore, Instant notAfter) throws IOException {
        Path caFile = dir.resolve(TlsDir.CA_CERTIFICATE);
        Path caKeyFile = dir.resolve(TlsDir.CA_KEY);
        if (!Files.exists(caKeyFile)) {
            throw new IOException(dir.resolve(name + ".pem") + " is missing and " + caKeyFile + ", the CA's key that "
                    + "would issue it, is not there: put the certificate and key of " + name + " into " + dir);
        }
        var ca = TlsDir.readCertificates(caFile, "the cluster CA's certificate").getFirst();
        PrivateKey caKey = TlsDir.readPrivateKey(caKeyFile, "the cluster CA");
        KeyPair pair = newKeyPair();
        List<byte[]> sans = new ArrayList<>();
        for (String host : hosts) {
            sans.add(generalName(host));
        }
        byte[] certificate = certificate(ca.getSubjectX500Principal().getEncoded(), name(name), pair.getPublic(), caKey,
                start(notBefore), notAfter.truncatedTo(ChronoUnit.SECONDS), List.of(
                        extension(BASIC_CONSTRAINTS, true, Der.sequence()),
                        extension(KEY_USAGE, true, Der.bitString(new byte[] {(byte) 0x80}, 7)), // digitalSignature
                        extension(EXTENDED_KEY_USAGE, false, Der.sequence(Der.oid(SERVER_AUTH), Der.oid(CLIENT_AUTH))),
                        extension(SUBJECT_ALT_NAME, false, Der.sequence(sans.toArray(byte[][]::new))),
                        extension(SUBJECT_KEY_ID, false, Der.octetString(keyId(pair.getPublic()))),
                        extension(AUTHORITY_KEY_ID, false, Der.sequence(Der.implicit(0, keyIdOf(ca))))));
        OwnerOnlyFiles.create(dir.resolve(name + ".key"), Pem.write(Pem.PRIVATE_KEY, pair.getPrivate().getEncoded()));
        Files.writeString(dir.resolve(name + ".pem"), Pem.write(Pem.CERTIFICATE, certificate), StandardCharsets.US_ASCII);
    }

    /** An hour before {@code instant}, to the second. */
    private static Instant start(Instant instant) {
        return instant.minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    }

    /** A signed certificate, checked by parsing it back. */
    private static byte[] certificate(byte[] issuer, byte[] subject, PublicKey publicKey, PrivateKey issuerKey,
            Instant notBefore, Instant notAfter, List<byte[]> extensions) throws IOException {
        byte[] algorithm = Der.sequence(Der.oid(ECDSA_WITH_SHA256));
        byte[] tbs = Der.sequence(
                Der.explicit(0, Der.integer(BigInteger.TWO)), // v3
                Der.integer(new BigInteger(1, randomBytes(16))),
                algorithm,
                issuer,
                Der.sequence(Der.time(notBefore), Der.time(notAfter)),
                subject,
                publicKey.getEncoded(), // SubjectPublicKeyInfo as is
                Der.explicit(3, Der.sequence(extensions.toArray(byte[][]::new))));
        byte[] signature;
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(issuerKey);
            signer.update(tbs);
            signature = signer.sign(); // DER ECDSA-Sig-Value, as X.509 wants it
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot sign a certificate with the CA's key (" + issuerKey.getAlgorithm()
                    + "; this CA signs with EC keys only): " + e.getMessage(), e);
        }
        byte[] der = Der.sequence(tbs, algorithm, Der.bitString(signature));
        TlsDir.parseCertificate(der, Path.of("the certificate just made"));
        return der;
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical
                ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.oid(oid), Der.octetString(value));
    }

    private static byte[] name(String commonName) {
        return Der.sequence(
                Der.set(Der.sequence(Der.oid(ORGANIZATION), Der.utf8String("Sluice"))),
                Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8String(commonName))));
    }

    /** {@code iPAddress [7]} for an address literal, {@code dNSName [2]} for anything else. */
    private static byte[] generalName(String host) {
        try {
            return Der.implicit(7, InetAddress.ofLiteral(host).getAddress());
        } catch (IllegalArgumentException notAnAddress) {
            return Der.implicit(2, host.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** A key identifier: the SHA-1 of the encoded public key (RFC 5280, 4.2.1.2 allows any such hash). */
    private static byte[] keyId(PublicKey key) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(key.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** The CA's own key identifier if its certificate has one (OCTET STRING in OCTET STRING), else ours. */
    private static byte[] keyIdOf(java.security.cert.X509Certificate ca) {
        byte[] extension = ca.getExtensionValue(SUBJECT_KEY_ID);
        if (extension != null && extension.length > 4 && extension[0] == 0x04 && extension[2] == 0x04
                && extension[1] == extension.length - 2 && extension[3] == extension.length - 4) {
            return Arrays.copyOfRange(extension, 4, extension.length);
        }
        return keyId(ca.getPublicKey());
    }

    private static KeyPair newKeyPair() throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IOException("this JVM cannot make EC P-256 keys: " + e.getMessage(), e);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
