package io.sluice.network.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * One process's TLS material, loaded from a directory laid out as
 *
 * <pre>
 * DIR/ca.pem       the cluster CA's certificate: the only certificate a peer's may chain to
 * DIR/NAME.pem     this process's certificate (PEM; intermediates may follow it), signed by that CA
 * DIR/NAME.key     its private key, PKCS#8 PEM ("BEGIN PRIVATE KEY", unencrypted; EC, RSA or Ed25519), mode 0600
 * DIR/ca.key       the CA's key: only where certificates are issued ({@link ClusterCa}), never read here
 * </pre>
 *
 * where NAME is the process's name: {@code coordinator}, {@code worker-1}, {@code client}, ... Everything is checked
 * when loading, so a process with bad material fails at start with the file to fix, never at its first connection:
 * every file present and readable, the key unencrypted PKCS#8 and owner-only, the key the certificate's, both
 * certificates valid now, the CA certificate a CA's, and the certificate signed by the CA (a PKIX path to it, as TLS
 * checks it). Immutable and thread-safe.
 */
public final class TlsDir {
    /** The cluster CA's certificate in every TLS directory. */
    public static final String CA_CERTIFICATE = "ca.pem";
    /** The cluster CA's key, where certificates are issued. */
    public static final String CA_KEY = "ca.key";

    private final Path dir;
    private final String name;
    private final X509Certificate ca;
    private final List<X509Certificate> chain;
    private final PrivateKey key;

    private TlsDir(Path dir, String name, X509Certificate ca, List<X509Certificate> chain, PrivateKey key) {
        this.dir = dir;
        this.name = name;
        this.ca = ca;
        this.chain = List.copyOf(chain);
        this.key = key;
    }

    /**
     * Loads and checks the CA certificate, and {@code name}'s certificate and key, from {@code dir}.
     *
     * @throws IOException naming the file at fault and what is wrong with it
     */
    public static TlsDir load(Path dir, String name) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new IOException("the TLS directory " + root + " does not exist (it needs " + CA_CERTIFICATE + ", "
                    + name + ".pem and " + name + ".key; 'bin/sluice cluster start --tls' makes one)");
        }
        Path caFile = root.resolve(CA_CERTIFICATE);
        Path certFile = root.resolve(name + ".pem");
        Path keyFile = root.resolve(name + ".key");
        X509Certificate ca = readCertificates(caFile, "the cluster CA's certificate").getFirst();
        if (ca.getBasicConstraints() < 0) {
            throw new IOException(caFile + " is not a CA certificate (" + ca.getSubjectX500Principal().getName()
                    + " may not sign others): it must hold the certificate of the CA that signed the cluster's");
        }
        requireValidNow(ca, caFile);
        List<X509Certificate> chain = readCertificates(certFile, "the certificate of " + name);
        for (X509Certificate c : chain) {
            requireValidNow(c, certFile);
        }
        PrivateKey key = readPrivateKey(keyFile, name);
        requireKeyOf(key, chain.getFirst().getPublicKey(), keyFile, certFile);
        requireSignedBy(chain, ca, certFile, caFile);
        return new TlsDir(root, name, ca, chain, key);
    }

    /** The directory, absolute. */
    public Path dir() {
        return dir;
    }

    /** Whose material this is: the files' base name. */
    public String name() {
        return name;
    }

    /** The cluster CA's certificate: what a peer's certificate must chain to. */
    public X509Certificate ca() {
        return ca;
    }

    /** This process's certificate first, then any intermediates. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** The same, as an array (what TLS libraries take). */
    public X509Certificate[] chainArray() {
        return chain.toArray(X509Certificate[]::new);
    }

    public PrivateKey key() {
        return key;
    }

    /**
     * What a connecting side presents: this process's certificate, whatever CAs the server names as acceptable. (The
     * JDK's own key manager presents nothing to a server that names another CA, which then reports an empty
     * certificate chain; presenting it lets the server say what is wrong: a certificate of another CA.)
     */
    public X509ExtendedKeyManager clientKeyManager() {
        String alias = name;
        return new X509ExtendedKeyManager() {
            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
                return fits(keyType) ? new String[] {alias} : null;
            }

            @Override
            public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
                return chooseEngineClientAlias(keyTypes, issuers, null);
            }

            @Override
            public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
                for (String keyType : keyTypes) {
                    if (fits(keyType)) {
                        return alias;
                    }
                }
                return null;
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
                return null; // a client's
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return null;
            }

            @Override
            public X509Certificate[] getCertificateChain(String requested) {
                return alias.equals(requested) ? chainArray() : null;
            }

            @Override
            public PrivateKey getPrivateKey(String requested) {
                return alias.equals(requested) ? key : null;
            }
        };
    }

    /** Whether this process's key is of the kind a TLS peer asks for ({@code EC}, {@code RSA}, {@code EdDSA}, ...). */
    private boolean fits(String keyType) {
        String algorithm = key.getAlgorithm();
        boolean edwards = algorithm.equals("EdDSA") || algorithm.equals("Ed25519");
        return keyType.equalsIgnoreCase(algorithm) || edwards && (keyType.equals("EdDSA") || keyType.equals("Ed25519"));
    }

    /** The subject of this process's certificate. */
    public String subject() {
        return chain.getFirst().getSubjectX500Principal().getName();
    }

    @Override
    public String toString() {
        return "TLS material of " + name + " in " + dir + " (" + subject() + ")";
    }

    private static byte[] readFile(Path file, String what) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + " is missing: the TLS directory must hold " + what + " there", e);
        } catch (IOException e) {
            throw new IOException("cannot read " + file + " (" + what + "): " + e, e);
        }
    }

    static List<X509Certificate> readCertificates(Path file, String what) throws IOException {
        List<Pem.Block> blocks = pem(file, readFile(file, what));
        List<X509Certificate> certificates = new ArrayList<>();
        for (Pem.Block b : blocks) {
            if (b.label().equals(Pem.CERTIFICATE)) {
                certificates.add(parseCertificate(b.der(), file));
            }
        }
        if (certificates.isEmpty()) {
            throw new IOException(file + " holds no certificate (a PEM block '-----BEGIN CERTIFICATE-----'): it "
                    + "should be " + what);
        }
        return certificates;
    }

    static X509Certificate parseCertificate(byte[] der, Path file) throws IOException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IOException(file + " holds something that is not an X.509 certificate: " + e.getMessage(), e);
        }
    }

    private static List<Pem.Block> pem(Path file, byte[] bytes) throws IOException {
        try {
            return Pem.read(new String(bytes, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not PEM: a block's body is not base64 (" + e.getMessage() + ")", e);
        }
    }

    static PrivateKey readPrivateKey(Path file, String name) throws IOException {
        byte[] bytes = readFile(file, "the private key of " + name + " (PKCS#8 PEM)");
        OwnerOnlyFiles.requireOwnerOnly(file, "private key file");
        List<Pem.Block> blocks = pem(file, bytes);
        if (blocks.isEmpty()) {
            throw new IOException(file + " holds no PEM block: it should hold the private key of " + name
                    + " as '-----BEGIN PRIVATE KEY-----' (PKCS#8)");
        }
        Pem.Block block = blocks.getFirst();
        String convert = "; convert it with 'openssl pkcs8 -topk8 -nocrypt -in " + file + " -out " + name + ".pkcs8' "
                + "and put that in its place";
        if (block.label().equals("ENCRYPTED PRIVATE KEY")) {
            throw new IOException(file + " is an encrypted key, which Sluice cannot read without a password" + convert);
        }
        if (!block.label().equals(Pem.PRIVATE_KEY)) {
            throw new IOException(file + " holds a '" + block.label() + "', not an unencrypted PKCS#8 private key "
                    + "('PRIVATE KEY')" + convert);
        }
        List<String> tried = new ArrayList<>();
        for (String algorithm : List.of("EC", "RSA", "Ed25519", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(block.der()));
            } catch (GeneralSecurityException e) {
                tried.add(algorithm + ": " + e.getMessage());
            }
        }
        throw new IOException(file + " holds no private key this JVM can read (" + String.join("; ", tried) + ")");
    }

    private static void requireValidNow(X509Certificate certificate, Path file) throws IOException {
        try {
            certificate.checkValidity();
        } catch (CertificateExpiredException e) {
            throw new IOException(file + " expired on " + certificate.getNotAfter().toInstant() + " ("
                    + certificate.getSubjectX500Principal().getName() + "): it needs a new certificate", e);
        } catch (CertificateNotYetValidException e) {
            throw new IOException(file + " is not valid before " + certificate.getNotBefore().toInstant() + " ("
                    + certificate.getSubjectX500Principal().getName() + "): is this machine's clock right?", e);
        }
    }

    /** Signs a random challenge with {@code key} and verifies it with {@code certified}. */
    private static void requireKeyOf(PrivateKey key, PublicKey certified, Path keyFile, Path certFile) throws IOException {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return; // an RSASSA-PSS key: TLS itself will tell if it is not the certificate's
        }
        boolean matches;
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(challenge);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false; // a key of another algorithm than the certificate's
        }
        if (!matches) {
            throw new IOException(keyFile + " is not the key of the certificate in " + certFile
                    + " (they must be one key pair)");
        }
    }

    /** Checks that {@code chain} leads to {@code ca} as TLS will: a PKIX path with {@code ca} as its anchor. */
    private static void requireSignedBy(List<X509Certificate> chain, X509Certificate ca, Path certFile, Path caFile)
            throws IOException {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
            parameters.setRevocationEnabled(false);
            parameters.setDate(new Date());
            CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(chain), parameters);
        } catch (CertPathValidatorException e) {
            X509Certificate last = chain.getLast();
            throw new IOException(certFile + " is not signed by the cluster CA in " + caFile + " (the certificate's issuer: "
                    + last.getIssuerX500Principal().getName() + "; the CA: " + ca.getSubjectX500Principal().getName()
                    + "): " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot check " + certFile + " against " + caFile + ": " + e.getMessage(), e);
        }
    }
}
