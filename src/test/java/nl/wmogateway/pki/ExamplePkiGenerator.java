package nl.wmogateway.pki;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nl.wmogateway.pki.CertificateSpec.TlsRole;
import nl.wmogateway.trust.ExampleCertificates;

/**
 * Writes the example PKI under {@code certs-example/}: a root and issuing CA, keystores for the
 * gateway, a care organisation's EHR and two gemeenten, and the broken cases tests and demos need
 * (expired, revoked, issued by a foreign CA). See {@code certs-example/README.md}.
 *
 * <p>Everything comes from a fixed seed, so running it again gives byte-identical certificates
 * and CRL, and keystores whose content is unchanged are left alone. The private keys are
 * therefore public knowledge: this material must never be trusted in production, and every CA
 * subject says {@value #NOT_FOR_PRODUCTION}.
 *
 * <pre>mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=nl.wmogateway.pki.ExamplePkiGenerator -Dexec.args=certs-example</pre>
 */
public final class ExamplePkiGenerator {

    /** The seed all example keys derive from. Changing it changes every key and certificate. */
    public static final String SEED = "wmo-gateway-example-pki/1";

    /** The password of every example keystore and of the truststore. */
    public static final String PASSWORD = "changeit";

    /** Appears in the organisation of both example CAs, and so in the issuer of every example leaf. */
    public static final String NOT_FOR_PRODUCTION = ExampleCertificates.NOT_FOR_PRODUCTION;

    static final Validity VALIDITY = Validity.between(LocalDate.of(2025, 1, 1), LocalDate.of(2035, 12, 31));
    static final Validity EXPIRED = Validity.between(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31));

    static final String EXAMPLE_ORGANISATION = "Wmo Gateway Example";
    static final String CA_ORGANISATION = EXAMPLE_ORGANISATION + " — " + NOT_FOR_PRODUCTION;
    static final String THUISZORG = "O=Thuiszorg Twente Voorbeeld, C=NL";
    static final String URA = "87654321";
    static final String AGB = "12345678";

    private ExamplePkiGenerator() {}

    /** {@code args[0]}: the output directory, {@code certs-example} when absent. */
    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "certs-example");
        List<String> report = generate(dir);
        System.out.println("Example PKI in " + dir.toAbsolutePath().normalize() + " (" + NOT_FOR_PRODUCTION + "):");
        report.forEach(line -> System.out.println("  " + line));
    }

    /**
     * Writes (or leaves unchanged) every example file in {@code dir}.
     *
     * @return one line per file: name, whether it was written, and what it holds
     */
    public static List<String> generate(Path dir) {
        Pki pki = Pki.seeded(SEED);
        char[] password = PASSWORD.toCharArray();
        List<String> report = new ArrayList<>();

        Credential root = pki.rootCa(CertificateSpec.of(
                "root-ca", "CN=Wmo Gateway Example Root CA, O=" + CA_ORGANISATION + ", C=NL", VALIDITY));
        Credential issuing = pki.issuingCa(
                CertificateSpec.of(
                        "issuing-ca", "CN=Wmo Gateway Example Issuing CA, O=" + CA_ORGANISATION + ", C=NL", VALIDITY),
                root);
        pem(dir, root.name(), root, report);
        pem(dir, issuing.name(), issuing, report);

        Map<String, X509Certificate> trusted = new LinkedHashMap<>();
        trusted.put(root.name(), root.certificate());
        trusted.put(issuing.name(), issuing.certificate());
        truststore(dir.resolve("truststore.p12"), trusted, password, report);

        keystore(
                dir,
                pki.leaf(serverAndClient("gateway", "gateway.wmo-gateway.example", EXAMPLE_ORGANISATION), issuing),
                password,
                report);
        keystore(
                dir,
                pki.leaf(thuiszorgClient("ehr-thuiszorg", "ehr.thuiszorg-voorbeeld.example", "900000001"), issuing),
                password,
                report);
        keystore(
                dir,
                pki.leaf(
                        serverAndClient("gemeente-0153", "wmo.enschede.example", "Gemeente Enschede Voorbeeld"),
                        issuing),
                password,
                report);
        keystore(
                dir,
                pki.leaf(
                        serverAndClient("gemeente-0363", "wmo.amsterdam.example", "Gemeente Amsterdam Voorbeeld"),
                        issuing),
                password,
                report);
        keystore(
                dir,
                pki.leaf(
                        CertificateSpec.of(
                                        "integrator",
                                        "CN=integrator.wmo-gateway.example, O=" + EXAMPLE_ORGANISATION + ", C=NL",
                                        VALIDITY)
                                .withRoles(TlsRole.CLIENT),
                        issuing),
                password,
                report);
        keystore(
                dir,
                pki.leaf(
                        thuiszorgClient("expired", "expired.thuiszorg-voorbeeld.example", "900000002")
                                .withValidity(EXPIRED),
                        issuing),
                password,
                report);

        Credential revoked =
                pki.leaf(thuiszorgClient("revoked", "revoked.thuiszorg-voorbeeld.example", "900000003"), issuing);
        keystore(dir, revoked, password, report);
        X509CRL crl = pki.crl(
                issuing,
                new CrlSpec(
                        VALIDITY.notBefore(),
                        VALIDITY.notAfter(),
                        BigInteger.ONE,
                        List.of(CrlSpec.Revocation.of(
                                revoked.certificate(), VALIDITY.notBefore(), CrlSpec.Reason.KEY_COMPROMISE))));
        Path crlFile = dir.resolve("issuing-ca.crl.pem");
        Pki.writePem(crlFile, crl);
        report.add(line(
                crlFile,
                "written",
                "CRL of " + crl.getIssuerX500Principal() + ", revokes serial "
                        + revoked.certificate().getSerialNumber().toString(16) + " (revoked)"));

        // Same subject and UZI name as ehr-thuiszorg: only the chain tells them apart.
        Credential foreignRoot = pki.rootCa(CertificateSpec.of(
                "foreign-ca", "CN=Foreign Example Root CA, O=Foreign Example — NOT TRUSTED, C=NL", VALIDITY));
        pem(dir, foreignRoot.name(), foreignRoot, report);
        keystore(
                dir,
                pki.leaf(
                        thuiszorgClient("foreign-client", "ehr.thuiszorg-voorbeeld.example", "900000001"), foreignRoot),
                password,
                report);
        return Collections.unmodifiableList(report);
    }

    private static CertificateSpec serverAndClient(String name, String hostName, String organisation) {
        return CertificateSpec.of(name, "CN=" + hostName + ", O=" + organisation + ", C=NL", VALIDITY)
                .withRoles(TlsRole.SERVER, TlsRole.CLIENT)
                .withDnsNames(hostName, "localhost")
                .withIpAddresses("127.0.0.1");
    }

    /**
     * A care organisation's client certificate shaped like a UZI server certificate: URA and AGB in
     * the subjectAltName otherName, and (our choice, see the README) the URA also in the subject's
     * serialNumber.
     */
    private static CertificateSpec thuiszorgClient(String name, String hostName, String uziNummer) {
        return CertificateSpec.of(name, "CN=" + hostName + ", serialNumber=" + URA + ", " + THUISZORG, VALIDITY)
                .withRoles(TlsRole.CLIENT)
                .withDnsNames(hostName)
                .withUziServerName(new UziServerName(uziNummer, URA, AGB));
    }

    private static void pem(Path dir, String name, Credential credential, List<String> report) {
        Path file = dir.resolve(name + ".crt.pem");
        Pki.writePem(file, List.of(credential.certificate()));
        report.add(line(file, "written", describe(credential.certificate())));
    }

    private static void keystore(Path dir, Credential credential, char[] password, List<String> report) {
        pem(dir, credential.name(), credential, report);
        Path file = dir.resolve(credential.name() + ".p12");
        boolean unchanged = holds(file, credential, password);
        if (!unchanged) {
            Pki.writeKeystore(file, credential, credential.name(), password);
        }
        report.add(line(
                file,
                unchanged ? "unchanged" : "written",
                "alias " + credential.name() + ", key + chain of "
                        + credential.chain().size()));
    }

    private static void truststore(
            Path file, Map<String, X509Certificate> trusted, char[] password, List<String> report) {
        boolean unchanged = holds(file, trusted, password);
        if (!unchanged) {
            Pki.writeTruststore(file, trusted, password);
        }
        report.add(line(file, unchanged ? "unchanged" : "written", "trusts " + String.join(", ", trusted.keySet())));
    }

    // PKCS#12 files are salted randomly; rewriting identical content would only churn the repository.
    private static boolean holds(Path file, Credential credential, char[] password) {
        return load(file, password)
                .map(store -> {
                    try {
                        Key key = store.getKey(credential.name(), password);
                        Certificate[] chain = store.getCertificateChain(credential.name());
                        return store.size() == 1
                                && key != null
                                && chain != null
                                && Arrays.equals(
                                        key.getEncoded(),
                                        credential.privateKey().getEncoded())
                                && Arrays.asList(chain).equals(credential.chain());
                    } catch (GeneralSecurityException e) {
                        return false;
                    }
                })
                .orElse(false);
    }

    private static boolean holds(Path file, Map<String, X509Certificate> trusted, char[] password) {
        return load(file, password)
                .map(store -> {
                    try {
                        if (store.size() != trusted.size()) {
                            return false;
                        }
                        for (Map.Entry<String, X509Certificate> entry : trusted.entrySet()) {
                            if (!store.isCertificateEntry(entry.getKey())
                                    || !entry.getValue().equals(store.getCertificate(entry.getKey()))) {
                                return false;
                            }
                        }
                        return true;
                    } catch (GeneralSecurityException e) {
                        return false;
                    }
                })
                .orElse(false);
    }

    private static Optional<KeyStore> load(Path file, char[] password) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return Optional.of(store);
        } catch (IOException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    private static String describe(X509Certificate certificate) {
        return certificate.getSubjectX500Principal() + ", valid "
                + certificate.getNotBefore().toInstant() + " to "
                + certificate.getNotAfter().toInstant() + ", sha256 " + fingerprint(certificate);
    }

    private static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String line(Path file, String what, String detail) {
        return String.format("%-24s %-9s %s", file.getFileName(), what, detail);
    }
}
