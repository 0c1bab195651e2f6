package nl.wmogateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import nl.wmogateway.pki.CertificateSpec;
import nl.wmogateway.pki.CertificateSpec.TlsRole;
import nl.wmogateway.pki.Credential;
import nl.wmogateway.pki.CrlSpec;
import nl.wmogateway.pki.Pki;
import nl.wmogateway.pki.Validity;

/**
 * A fresh PKI made for the test run (real keys, real certificates): a root and issuing CA, the
 * gateway (its TLS key and a signing key of its own), the example EHR, a second care organisation, the gemeente, a client from a foreign
 * CA, an expired and a revoked client, and the issuing CA's CRL. Written once per JVM as PKCS#12
 * and PEM files in a temporary directory.
 */
public final class TestPkiFiles {

    public static final String PASSWORD = "test-secret";
    public static final String EHR_SUBJECT = "CN=ehr.test-thuiszorg.example,O=Thuiszorg Test,C=NL";
    public static final String OTHER_EHR_SUBJECT = "CN=ehr.andere-zorg.example,O=Andere Zorg Test,C=NL";
    /** The issuer of every test partner's certificate. */
    public static final String ISSUER = "CN=Wmo Test Issuing CA,O=Wmo Gateway Test,C=NL";

    public static final String SIGNING_EHR_SUBJECT = "CN=ehr.ondertekend.example,O=Ondertekende Zorg Test,C=NL";
    public static final String OPERATOR_SUBJECT = "CN=integrator.test,O=Wmo Gateway Test,C=NL";
    public static final String GEMEENTE_SUBJECT = "CN=wmo.gemeente-0153.example,O=Gemeente Test 0153,C=NL";

    public static final Path DIR;
    public static final Path TRUSTSTORE;
    public static final Path GATEWAY;
    /** A signing key of the gateway's own, apart from its TLS key (wmo.signing.keystore). */
    public static final Path SIGNING;

    public static final String SIGNING_SUBJECT = "CN=signing.gateway.test,O=Wmo Gateway Test,C=NL";
    public static final Path EHR;
    public static final Path OTHER_EHR;
    /** A care organisation that must sign what it sends (signature: REQUIRED). */
    public static final Path SIGNING_EHR;

    public static final Path GEMEENTE;
    public static final Path FOREIGN;
    public static final Path OPERATOR;
    public static final Path GEMEENTE_0363;
    public static final Path GEMEENTE_0518;
    public static final Path GEMEENTE_0599;
    public static final Path ZORG_SERVER;
    public static final String GEMEENTE_0363_SUBJECT = "CN=wmo.gemeente-0363.example,O=Gemeente Test 0363,C=NL";
    /** A gemeente that posts its own iWmo (iwmo-xml), forwarded to the care organisation. */
    public static final String GEMEENTE_0518_SUBJECT = "CN=wmo.gemeente-0518.example,O=Gemeente Test 0518,C=NL";
    /** A gemeente that sends its iWmo itself (fhir-only): the gateway answers only the Task. */
    public static final String GEMEENTE_0599_SUBJECT = "CN=wmo.gemeente-0599.example,O=Gemeente Test 0599,C=NL";

    public static final String EXPIRED_SUBJECT = "CN=expired.test-thuiszorg.example,O=Thuiszorg Test,C=NL";
    public static final String REVOKED_SUBJECT = "CN=revoked.test-thuiszorg.example,O=Thuiszorg Test,C=NL";
    /** The EHR's organisation with a certificate that expired two days ago. */
    public static final Path EXPIRED;
    /** The EHR's organisation with a certificate listed in {@link #CRL}. */
    public static final Path REVOKED;
    /** The issuing CA's CRL (PEM), revoking {@link #REVOKED}; the gateway loads it (wmo.trust.crl-sources). */
    public static final Path CRL;

    static {
        try {
            DIR = Files.createTempDirectory("wmo-test-pki");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Pki pki = Pki.random();
        Validity valid =
                Validity.between(LocalDate.now().minusDays(1), LocalDate.now().plusYears(2));
        Credential root =
                pki.rootCa(CertificateSpec.of("test-root", "CN=Wmo Test Root CA,O=Wmo Gateway Test,C=NL", valid));
        Credential issuing = pki.issuingCa(CertificateSpec.of("test-issuing", ISSUER, valid), root);
        GATEWAY = keystore(pki.leaf(
                CertificateSpec.of("gateway", "CN=gateway.test,O=Wmo Gateway Test,C=NL", valid)
                        .withRoles(TlsRole.SERVER, TlsRole.CLIENT)
                        .withDnsNames("localhost")
                        .withIpAddresses("127.0.0.1"),
                issuing));
        SIGNING = keystore(pki.leaf(
                CertificateSpec.of("gateway-signing", SIGNING_SUBJECT, valid).withRoles(TlsRole.CLIENT), issuing));
        EHR = keystore(pki.leaf(CertificateSpec.of("ehr", EHR_SUBJECT, valid).withRoles(TlsRole.CLIENT), issuing));
        OTHER_EHR = keystore(pki.leaf(
                CertificateSpec.of("other-ehr", OTHER_EHR_SUBJECT, valid).withRoles(TlsRole.CLIENT), issuing));
        SIGNING_EHR = keystore(pki.leaf(
                CertificateSpec.of("signing-ehr", SIGNING_EHR_SUBJECT, valid).withRoles(TlsRole.CLIENT), issuing));
        GEMEENTE = keystore(pki.leaf(
                CertificateSpec.of("gemeente", GEMEENTE_SUBJECT, valid)
                        .withRoles(TlsRole.SERVER, TlsRole.CLIENT)
                        .withDnsNames("localhost")
                        .withIpAddresses("127.0.0.1"),
                issuing));
        OPERATOR = keystore(
                pki.leaf(CertificateSpec.of("operator", OPERATOR_SUBJECT, valid).withRoles(TlsRole.CLIENT), issuing));
        GEMEENTE_0363 = keystore(pki.leaf(
                CertificateSpec.of("gemeente-0363", GEMEENTE_0363_SUBJECT, valid)
                        .withRoles(TlsRole.SERVER, TlsRole.CLIENT)
                        .withDnsNames("localhost")
                        .withIpAddresses("127.0.0.1"),
                issuing));
        GEMEENTE_0518 = keystore(pki.leaf(
                CertificateSpec.of("gemeente-0518", GEMEENTE_0518_SUBJECT, valid)
                        .withRoles(TlsRole.CLIENT),
                issuing));
        GEMEENTE_0599 = keystore(pki.leaf(
                CertificateSpec.of("gemeente-0599", GEMEENTE_0599_SUBJECT, valid)
                        .withRoles(TlsRole.CLIENT),
                issuing));
        ZORG_SERVER = keystore(pki.leaf(
                CertificateSpec.of("zorg-server", "CN=iwmo.test-thuiszorg.example,O=Thuiszorg Test,C=NL", valid)
                        .withRoles(TlsRole.SERVER)
                        .withDnsNames("localhost")
                        .withIpAddresses("127.0.0.1"),
                issuing));
        Credential foreignRoot =
                pki.rootCa(CertificateSpec.of("foreign-root", "CN=Foreign Root,O=Elsewhere,C=NL", valid));
        FOREIGN = keystore(
                pki.leaf(CertificateSpec.of("foreign", EHR_SUBJECT, valid).withRoles(TlsRole.CLIENT), foreignRoot));
        EXPIRED = keystore(pki.leaf(
                CertificateSpec.of(
                                "expired",
                                EXPIRED_SUBJECT,
                                Validity.between(
                                        LocalDate.now().minusDays(30),
                                        LocalDate.now().minusDays(2)))
                        .withRoles(TlsRole.CLIENT),
                issuing));
        Credential revoked =
                pki.leaf(CertificateSpec.of("revoked", REVOKED_SUBJECT, valid).withRoles(TlsRole.CLIENT), issuing);
        REVOKED = keystore(revoked);
        CRL = DIR.resolve("test-issuing.crl.pem");
        Instant now = Instant.now();
        Pki.writePem(
                CRL,
                pki.crl(
                        issuing,
                        new CrlSpec(
                                now.minus(Duration.ofHours(1)),
                                now.plus(Duration.ofDays(7)),
                                BigInteger.ONE,
                                List.of(CrlSpec.Revocation.of(
                                        revoked.certificate(),
                                        now.minus(Duration.ofHours(1)),
                                        CrlSpec.Reason.KEY_COMPROMISE)))));
        TRUSTSTORE = DIR.resolve("truststore.p12");
        Pki.writeTruststore(
                TRUSTSTORE,
                Map.of("root", root.certificate(), "issuing", issuing.certificate()),
                PASSWORD.toCharArray());
    }

    private TestPkiFiles() {}

    private static Path keystore(Credential credential) {
        Path file = DIR.resolve(credential.name() + ".p12");
        Pki.writeKeystore(file, credential, credential.name(), PASSWORD.toCharArray());
        return file;
    }
}
