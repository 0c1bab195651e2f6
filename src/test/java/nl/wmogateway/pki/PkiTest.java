package nl.wmogateway.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CRLReason;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import nl.wmogateway.pki.CertificateSpec.TlsRole;
import nl.wmogateway.trust.ExampleCertificates;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PkiTest {

    static final Validity VALIDITY = Validity.between(LocalDate.of(2025, 1, 1), LocalDate.of(2035, 12, 31));
    static final Date IN_2030 = Date.from(Instant.parse("2030-06-01T12:00:00Z"));
    static final char[] PASSWORD = "test-store-password".toCharArray();

    static Credential root;
    static Credential issuing;
    static Credential server;
    static Credential revoked;
    static X509CRL crl;

    @TempDir
    static Path example;

    @BeforeAll
    static void makeASeededPkiAndTheExample() {
        Pki pki = Pki.seeded("pki-test");
        root = pki.rootCa(CertificateSpec.of("root", "CN=Test Root CA, O=Test, C=NL", VALIDITY));
        issuing = pki.issuingCa(CertificateSpec.of("issuing", "CN=Test Issuing CA, O=Test, C=NL", VALIDITY), root);
        server = pki.leaf(serverSpec(), issuing);
        revoked = pki.leaf(
                CertificateSpec.of("revoked", "CN=revoked.example, O=Test, C=NL", VALIDITY)
                        .withRoles(TlsRole.CLIENT),
                issuing);
        crl = pki.crl(
                issuing,
                new CrlSpec(
                        VALIDITY.notBefore(),
                        VALIDITY.notAfter(),
                        BigInteger.TEN,
                        List.of(CrlSpec.Revocation.of(
                                revoked.certificate(),
                                Instant.parse("2026-02-03T04:05:06Z"),
                                CrlSpec.Reason.KEY_COMPROMISE))));
        ExamplePkiGenerator.generate(example);
    }

    static CertificateSpec serverSpec() {
        return CertificateSpec.of("server", "CN=server.example, O=Test, C=NL", VALIDITY)
                .withRoles(TlsRole.SERVER, TlsRole.CLIENT)
                .withDnsNames("server.example", "localhost")
                .withIpAddresses("127.0.0.1")
                .withCrlDistributionPoint(URI.create("http://crl.example/issuing.crl"));
    }

    @Test
    void theSameSeedGivesByteIdenticalKeysCertificatesAndCrls() throws GeneralSecurityException {
        Pki again = Pki.seeded("pki-test");
        // Asked for first this time: a name's key depends only on seed and name, not on order.
        byte[] serverKey = again.keyPair("server").getPrivate().getEncoded();
        Credential root2 = again.rootCa(CertificateSpec.of("root", "CN=Test Root CA, O=Test, C=NL", VALIDITY));
        Credential issuing2 =
                again.issuingCa(CertificateSpec.of("issuing", "CN=Test Issuing CA, O=Test, C=NL", VALIDITY), root2);
        Credential server2 = again.leaf(serverSpec(), issuing2);
        X509CRL crl2 = again.crl(
                issuing2,
                new CrlSpec(
                        VALIDITY.notBefore(),
                        VALIDITY.notAfter(),
                        BigInteger.TEN,
                        List.of(CrlSpec.Revocation.of(
                                revoked.certificate(),
                                Instant.parse("2026-02-03T04:05:06Z"),
                                CrlSpec.Reason.KEY_COMPROMISE))));

        assertThat(serverKey).isEqualTo(server.privateKey().getEncoded());
        assertThat(server2.privateKey().getEncoded())
                .isEqualTo(server.privateKey().getEncoded());
        assertThat(root2.certificate().getEncoded())
                .isEqualTo(root.certificate().getEncoded());
        assertThat(issuing2.certificate().getEncoded())
                .isEqualTo(issuing.certificate().getEncoded());
        assertThat(server2.certificate().getEncoded())
                .isEqualTo(server.certificate().getEncoded());
        assertThat(crl2.getEncoded()).isEqualTo(crl.getEncoded());
    }

    @Test
    void differentSeedsGiveDifferentKeysAndSerials() {
        Pki one = Pki.seeded("one");
        Pki two = Pki.seeded("two");

        assertThat(one.keyPair("same-name").getPublic())
                .isNotEqualTo(two.keyPair("same-name").getPublic());
        assertThat(one.keyPair("a").getPublic()).isNotEqualTo(one.keyPair("b").getPublic());
    }

    @Test
    void aLeafChainsUpToTheRootUnderJdkPkixValidation() throws GeneralSecurityException {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root.certificate(), null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(IN_2030);

        CertPathValidator.getInstance("PKIX").validate(path(server), parameters);

        assertThat(server.chain()).containsExactly(server.certificate(), issuing.certificate(), root.certificate());
    }

    @Test
    void aLeafCarriesTheTlsExtensionsAskedFor() throws Exception {
        X509Certificate leaf = server.certificate();

        assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=server.example,O=Test,C=NL");
        assertThat(leaf.getIssuerX500Principal())
                .isEqualTo(issuing.certificate().getSubjectX500Principal());
        assertThat(leaf.getNotBefore().toInstant()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(leaf.getNotAfter().toInstant()).isEqualTo(Instant.parse("2035-12-31T23:59:59Z"));
        assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        // digitalSignature, nonRepudiation, keyEncipherment, ...
        assertThat(leaf.getKeyUsage()).startsWith(true, false, true, false, false, false, false);
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(leaf.getSubjectAlternativeNames())
                .containsExactly(List.of(2, "server.example"), List.of(2, "localhost"), List.of(7, "127.0.0.1"));
        assertThat(authorityKeyIdentifier(leaf)).isEqualTo(subjectKeyIdentifier(issuing.certificate()));
        assertThat(crlDistributionPoints(leaf)).containsExactly("http://crl.example/issuing.crl");
    }

    @Test
    void theCasAreMarkedAsCasWithTheIssuingCaLimitedToLeaves() throws Exception {
        assertThat(root.certificate().getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
        assertThat(issuing.certificate().getBasicConstraints()).isZero();
        // keyCertSign (5) and cRLSign (6) only
        assertThat(issuing.certificate().getKeyUsage()).startsWith(false, false, false, false, false, true, true);
        assertThat(root.certificate().getSubjectX500Principal())
                .isEqualTo(root.certificate().getIssuerX500Principal());
        assertThat(authorityKeyIdentifier(root.certificate())).isEqualTo(subjectKeyIdentifier(root.certificate()));
    }

    @Test
    void aLeafWithoutATlsRoleIsRefused() {
        Pki pki = Pki.seeded("pki-test");
        CertificateSpec roleless = CertificateSpec.of("roleless", "CN=roleless.example", VALIDITY);

        assertThatThrownBy(() -> pki.leaf(roleless, issuing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("roleless");
    }

    @Test
    void theCrlListsTheRevokedSerialAndVerifiesWithTheCaKey() throws GeneralSecurityException {
        crl.verify(issuing.publicKey());

        assertThat(crl.getIssuerX500Principal()).isEqualTo(issuing.certificate().getSubjectX500Principal());
        assertThat(crl.getThisUpdate().toInstant()).isEqualTo(VALIDITY.notBefore());
        assertThat(crl.getNextUpdate().toInstant()).isEqualTo(VALIDITY.notAfter());
        assertThat(crl.isRevoked(revoked.certificate())).isTrue();
        assertThat(crl.isRevoked(server.certificate())).isFalse();
        assertThat(crl.getRevokedCertificate(revoked.certificate().getSerialNumber())
                        .getRevocationDate()
                        .toInstant())
                .isEqualTo(Instant.parse("2026-02-03T04:05:06Z"));
        assertThat(crl.getRevokedCertificate(revoked.certificate().getSerialNumber())
                        .getRevocationReason())
                .isEqualTo(CRLReason.KEY_COMPROMISE);
        assertThatThrownBy(() -> crl.verify(root.publicKey())).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void jdkPkixValidationWithTheCrlRejectsTheRevokedCertificateOnly() throws GeneralSecurityException {
        CertPathValidator validator = CertPathValidator.getInstance("PKIX");

        validator.validate(path(server), revocationChecking(validator));
        assertThatThrownBy(() -> validator.validate(path(revoked), revocationChecking(validator)))
                .isInstanceOfSatisfying(
                        CertPathValidatorException.class,
                        e -> assertThat(e.getReason()).isEqualTo(CertPathValidatorException.BasicReason.REVOKED));
    }

    @Test
    void aUziServerNameCarriesUraAndAgbAndReadsBackFromTheCertificate() {
        Credential ehr = Pki.seeded("pki-test")
                .leaf(
                        CertificateSpec.of("ehr", "CN=ehr.example", VALIDITY)
                                .withRoles(TlsRole.CLIENT)
                                .withUziServerName(new UziServerName("900000001", "87654321", "12345678")),
                        issuing);

        assertThat(UziServerName.of(ehr.certificate()))
                .contains(new UziServerName("900000001", "87654321", "12345678"));
        assertThat(new UziServerName("900000001", "87654321", "12345678").value())
                .isEqualTo("2.16.528.1.1007.99.2110-1-900000001-S-87654321-00.000-12345678");
        assertThat(UziServerName.of(server.certificate())).isEmpty();
    }

    @Test
    void aKeystoreHoldsTheKeyAndFullChainUnderItsAlias(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("server.p12");

        Pki.writeKeystore(file, server, "my-alias", PASSWORD);

        KeyStore store = load(file);
        assertThat(aliases(store)).containsExactly("my-alias");
        assertThat(store.getKey("my-alias", PASSWORD).getEncoded())
                .isEqualTo(server.privateKey().getEncoded());
        assertThat(store.getCertificateChain("my-alias")).containsExactlyElementsOf(server.chain());
    }

    @Test
    void aTruststoreHoldsTrustedCertificateEntries(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("truststore.p12");
        Map<String, X509Certificate> trusted = new LinkedHashMap<>();
        trusted.put("root", root.certificate());
        trusted.put("issuing", issuing.certificate());

        Pki.writeTruststore(file, trusted, PASSWORD);

        KeyStore store = load(file);
        assertThat(store.isCertificateEntry("root")).isTrue();
        assertThat(store.isCertificateEntry("issuing")).isTrue();
        assertThat(store.getCertificate("root")).isEqualTo(root.certificate());
        assertThat(store.size()).isEqualTo(2);
    }

    @Test
    void pemFilesReadBackAsTheSameCertificatesAndCrl(@TempDir Path dir) throws Exception {
        Pki.writePem(dir.resolve("chain.pem"), server.chain());
        Pki.writePem(dir.resolve("issuing.crl.pem"), crl);
        CertificateFactory factory = CertificateFactory.getInstance("X.509");

        try (InputStream chain = Files.newInputStream(dir.resolve("chain.pem"));
                InputStream crlIn = Files.newInputStream(dir.resolve("issuing.crl.pem"))) {
            assertThat(List.<Certificate>copyOf(factory.generateCertificates(chain)))
                    .containsExactlyElementsOf(server.chain());
            assertThat(factory.generateCRL(crlIn)).isEqualTo(crl);
        }
        assertThat(Files.readString(dir.resolve("chain.pem")))
                .startsWith("-----BEGIN CERTIFICATE-----\n")
                .doesNotContain("\r");
    }

    @Test
    void theExampleGeneratorWritesByteIdenticalCertificatesOnEveryRun(@TempDir Path second) throws IOException {
        ExamplePkiGenerator.generate(second);

        for (Path pem : pemFiles(example)) {
            assertThat(second.resolve(pem.getFileName()))
                    .as(pem.getFileName().toString())
                    .hasSameBinaryContentAs(pem);
        }
        assertThat(pemFiles(example)).hasSize(12);
    }

    @Test
    void rerunningTheExampleGeneratorLeavesUnchangedKeystoresAlone() throws IOException {
        Map<Path, byte[]> before = new LinkedHashMap<>();
        for (Path p12 : files(example, ".p12")) {
            before.put(p12, Files.readAllBytes(p12));
        }

        List<String> report = ExamplePkiGenerator.generate(example);

        assertThat(before).hasSize(9);
        before.forEach((file, bytes) -> assertThat(file).hasBinaryContent(bytes));
        assertThat(report).filteredOn(line -> line.contains(".p12")).allMatch(line -> line.contains("unchanged"));
    }

    @Test
    void theExampleHasTheDocumentedSubjectsAndOnlyTheExpectedCertificateIsRevoked() throws Exception {
        X509Certificate ehr = read(example.resolve("ehr-thuiszorg.crt.pem"));
        X509Certificate expired = read(example.resolve("expired.crt.pem"));
        X509Certificate revokedExample = read(example.resolve("revoked.crt.pem"));
        X509CRL exampleCrl;
        try (InputStream in = Files.newInputStream(example.resolve("issuing-ca.crl.pem"))) {
            exampleCrl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(in);
        }

        assertThat(ehr.getSubjectX500Principal().toString())
                .isEqualTo(
                        "CN=ehr.thuiszorg-voorbeeld.example, SERIALNUMBER=87654321, O=Thuiszorg Twente Voorbeeld, C=NL");
        assertThat(UziServerName.of(ehr)).contains(new UziServerName("900000001", "87654321", "12345678"));
        assertThat(read(example.resolve("root-ca.crt.pem"))
                        .getSubjectX500Principal()
                        .getName())
                .isEqualTo("CN=Wmo Gateway Example Root CA,O=Wmo Gateway Example — NOT FOR PRODUCTION,C=NL");
        assertThat(expired.getNotAfter().toInstant()).isEqualTo(Instant.parse("2024-12-31T23:59:59Z"));
        assertThat(exampleCrl.isRevoked(revokedExample)).isTrue();
        assertThat(exampleCrl.isRevoked(ehr)).isFalse();
        assertThat(exampleCrl.getNextUpdate().toInstant()).isEqualTo(Instant.parse("2035-12-31T23:59:59Z"));
        assertThat(ExampleCertificates.isExampleCertificate(ehr)).isTrue();
        assertThat(ExampleCertificates.isExampleCertificate(server.certificate()))
                .isFalse();
    }

    @Test
    void theCommittedExampleCertificatesAreWhatTheGeneratorMakes() {
        Path committed = Path.of("certs-example");
        assumeThat(committed.resolve("root-ca.crt.pem"))
                .as("certs-example generated")
                .exists();

        for (Path pem : pemFiles(example)) {
            assertThat(committed.resolve(pem.getFileName()))
                    .as("%s is stale: regenerate certs-example (see its README)", pem.getFileName())
                    .hasSameBinaryContentAs(pem);
        }
    }

    private static PKIXParameters revocationChecking(CertPathValidator validator) throws GeneralSecurityException {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root.certificate(), null)));
        parameters.setDate(IN_2030);
        parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(List.of(crl))));
        PKIXRevocationChecker checker = (PKIXRevocationChecker) validator.getRevocationChecker();
        checker.setOptions(EnumSet.of(
                PKIXRevocationChecker.Option.PREFER_CRLS,
                PKIXRevocationChecker.Option.ONLY_END_ENTITY,
                PKIXRevocationChecker.Option.NO_FALLBACK));
        parameters.addCertPathChecker(checker);
        return parameters;
    }

    private static CertPath path(Credential leaf) throws GeneralSecurityException {
        return CertificateFactory.getInstance("X.509")
                .generateCertPath(leaf.chain().subList(0, leaf.chain().size() - 1));
    }

    private static String subjectKeyIdentifier(X509Certificate certificate) {
        byte[] value = ASN1OctetString.getInstance(certificate.getExtensionValue("2.5.29.14"))
                .getOctets();
        return HexFormat.of().formatHex(SubjectKeyIdentifier.getInstance(value).getKeyIdentifier());
    }

    private static String authorityKeyIdentifier(X509Certificate certificate) {
        byte[] value = ASN1OctetString.getInstance(certificate.getExtensionValue("2.5.29.35"))
                .getOctets();
        return HexFormat.of()
                .formatHex(AuthorityKeyIdentifier.getInstance(value).getKeyIdentifierOctets());
    }

    private static List<String> crlDistributionPoints(X509Certificate certificate) {
        byte[] value = ASN1OctetString.getInstance(certificate.getExtensionValue("2.5.29.31"))
                .getOctets();
        List<String> urls = new ArrayList<>();
        for (var point : CRLDistPoint.getInstance(value).getDistributionPoints()) {
            for (GeneralName name : GeneralNames.getInstance(
                            point.getDistributionPoint().getName())
                    .getNames()) {
                urls.add(name.getName().toString());
            }
        }
        return urls;
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }

    private static List<String> aliases(KeyStore store) throws GeneralSecurityException {
        return Collections.list(store.aliases());
    }

    private static X509Certificate read(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> all =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            assertThat(all).hasSize(1);
            return (X509Certificate) all.iterator().next();
        }
    }

    private static List<Path> pemFiles(Path dir) {
        return files(dir, ".pem");
    }

    private static List<Path> files(Path dir, String suffix) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
