package nl.wmogateway.trust;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import nl.wmogateway.pki.Pki;
import nl.wmogateway.trust.Validation.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trust verdict on certificate chains, with CRLs from files and from a loopback HTTP server. */
class CertificateValidatorTest {

    static TrustPki pki;

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void makeThePki() {
        pki = new TrustPki();
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void aClientCertificateOfTheTrustedCaThatIsNotRevokedIsValid() {
        Validation v = validator(RevocationMode.HARD_FAIL, crlFile(pki.crl(pki.issuing, pki.revoked)))
                .validate(pki.client.chain(), Purpose.CLIENT);

        assertThat(v.isValid()).isTrue();
        assertThat(v.code()).isEqualTo("valid");
        assertThat(v.subject()).isEqualTo("CN=ehr.trust-test.example,O=Thuiszorg Test,C=NL");
        assertThat(v.warning()).isEmpty();
    }

    @Test
    void noCertificateAtAllIsRefusedAsNoCertificate() {
        Validation v = validator(RevocationMode.HARD_FAIL, crlFile(pki.crl(pki.issuing)))
                .validate(List.of(), Purpose.CLIENT);

        assertThat(v.reason()).isEqualTo(Reason.NO_CERTIFICATE);
        assertThat(v.subject()).isEqualTo("(none)");
    }

    @Test
    void anExpiredCertificateIsRefusedAsExpired() {
        Validation v = validator(RevocationMode.HARD_FAIL, crlFile(pki.crl(pki.issuing)))
                .validate(pki.expired.chain(), Purpose.CLIENT);

        assertThat(v.code()).isEqualTo("expired");
        assertThat(v.message()).contains("CN=expired.trust-test.example").contains("expired on");
    }

    @Test
    void aCertificateThatIsNotValidYetIsRefusedAsNotYetValid() {
        Validation v = validator(RevocationMode.HARD_FAIL, crlFile(pki.crl(pki.issuing)))
                .validate(pki.notYetValid.chain(), Purpose.CLIENT);

        assertThat(v.code()).isEqualTo("not-yet-valid");
    }

    @Test
    void theValidityPeriodIsJudgedAtTheInstantAsked() {
        CertificateValidator validator = validator(RevocationMode.OFF);

        assertThat(validator
                        .validate(pki.client.chain(), Purpose.CLIENT, pki.now.plus(Duration.ofDays(61)))
                        .code())
                .isEqualTo("expired");
        assertThat(validator
                        .validate(pki.notYetValid.chain(), Purpose.CLIENT, pki.now.plus(Duration.ofDays(2)))
                        .code())
                .isEqualTo("valid");
    }

    @Test
    void aCertificateFromAForeignCaIsRefusedAsUntrustedChain() {
        Validation v = validator(RevocationMode.HARD_FAIL, crlFile(pki.crl(pki.issuing)))
                .validate(pki.foreign.chain(), Purpose.CLIENT);

        assertThat(v.code()).isEqualTo("untrusted-chain");
        assertThat(v.message()).contains("CN=Foreign Root CA");
    }

    @Test
    void aRevokedCertificateIsRefusedInHardFailMode() {
        Validation v = validator(RevocationMode.HARD_FAIL, crlFile(pki.crl(pki.issuing, pki.revoked)))
                .validate(pki.revoked.chain(), Purpose.CLIENT);

        assertThat(v.code()).isEqualTo("revoked");
        assertThat(v.message()).contains("KEY_COMPROMISE");
    }

    @Test
    void aRevokedCertificateIsRefusedInSoftFailModeToo() {
        Validation v = validator(RevocationMode.SOFT_FAIL, crlFile(pki.crl(pki.issuing, pki.revoked)))
                .validate(pki.revoked.chain(), Purpose.CLIENT);

        assertThat(v.code()).isEqualTo("revoked");
    }

    @Test
    void aRevokedCertificateIsAcceptedOnlyWhenRevocationCheckingIsOff() {
        Validation v = validator(RevocationMode.OFF, crlFile(pki.crl(pki.issuing, pki.revoked)))
                .validate(pki.revoked.chain(), Purpose.CLIENT);

        assertThat(v.isValid()).isTrue();
        assertThat(v.message()).contains("revocation not checked");
    }

    @Test
    void withoutACrlOfTheIssuerHardFailRefusesAsRevocationUnknown() {
        Validation v = validator(RevocationMode.HARD_FAIL, crlFile(pki.crl(pki.foreignRoot)))
                .validate(pki.client.chain(), Purpose.CLIENT);

        assertThat(v.code()).isEqualTo("revocation-unknown");
        assertThat(v.message()).contains("no CRL of CN=Trust Test Issuing CA");
    }

    @Test
    void withoutACrlOfTheIssuerSoftFailAcceptsWithAWarning() {
        Validation v = validator(RevocationMode.SOFT_FAIL).validate(pki.client.chain(), Purpose.CLIENT);

        assertThat(v.isValid()).isTrue();
        assertThat(v.warning()).hasValueSatisfying(w -> assertThat(w).contains("no CRL of CN=Trust Test Issuing CA"));
    }

    @Test
    void aCrlPastItsNextUpdateCountsAsNoCrl() {
        X509CRL outOfDate =
                pki.crl(pki.issuing, pki.now.minus(Duration.ofDays(8)), pki.now.minus(Duration.ofDays(1)), 1);

        Validation v =
                validator(RevocationMode.HARD_FAIL, crlFile(outOfDate)).validate(pki.client.chain(), Purpose.CLIENT);

        assertThat(v.code()).isEqualTo("revocation-unknown");
        assertThat(v.message()).contains("out of date");
    }

    @Test
    void aCrlPastItsNextUpdateStillRevokesWhatItLists() {
        X509CRL outOfDate = pki.crl(
                pki.issuing, pki.now.minus(Duration.ofDays(8)), pki.now.minus(Duration.ofDays(1)), 1, pki.revoked);

        Validation v =
                validator(RevocationMode.SOFT_FAIL, crlFile(outOfDate)).validate(pki.revoked.chain(), Purpose.CLIENT);

        assertThat(v.code()).isEqualTo("revoked");
    }

    @Test
    void aCrlWithABadSignatureIsIgnored() {
        // signed by an impostor that copies the issuing CA's name; it "revokes" a good certificate
        X509CRL forged = pki.crl(pki.impostor, pki.client);

        CertificateValidator hard = validator(RevocationMode.HARD_FAIL, crlFile(forged));
        CertificateValidator soft = validator(RevocationMode.SOFT_FAIL, crlFile(forged));

        assertThat(hard.validate(pki.client.chain(), Purpose.CLIENT).code()).isEqualTo("revocation-unknown");
        assertThat(soft.validate(pki.client.chain(), Purpose.CLIENT).isValid()).isTrue();
    }

    @Test
    void aClientCertificateWithoutClientAuthIsRefusedAsWrongKeyUsage() {
        Validation v = validator(RevocationMode.HARD_FAIL, crlFile(pki.crl(pki.issuing)))
                .validate(pki.serverOnly.chain(), Purpose.CLIENT);

        assertThat(v.code()).isEqualTo("wrong-key-usage");
        assertThat(v.message()).contains("clientAuth");
    }

    @Test
    void aServerCertificateWithoutServerAuthIsRefusedAsWrongKeyUsage() {
        Validation v = validator(RevocationMode.HARD_FAIL, crlFile(pki.crl(pki.issuing)))
                .validate(pki.clientOnly.chain(), Purpose.SERVER);

        assertThat(v.code()).isEqualTo("wrong-key-usage");
        assertThat(v.message()).contains("serverAuth");
    }

    @Test
    void aCaCertificatePresentedAsLeafIsRefusedAsWrongKeyUsage() {
        Validation v = validator(RevocationMode.OFF).validate(pki.issuing.chain(), Purpose.CLIENT);

        assertThat(v.code()).isEqualTo("wrong-key-usage");
    }

    @Test
    void anIntermediateThatIsNotTrustedItselfIsCheckedAgainstTheRootsCrl() {
        TrustAnchors rootOnly = new TrustAnchors(List.of(pki.root.certificate()));
        String issuingCrl = crlFile(pki.crl(pki.issuing));
        String rootRevokesIssuing = crlFile(pki.crl(pki.root, pki.issuing));
        String rootRevokesNothing = crlFile(pki.crl(pki.root));

        Validation revoked = validator(rootOnly, RevocationMode.HARD_FAIL, issuingCrl, rootRevokesIssuing)
                .validate(pki.client.chain(), Purpose.CLIENT);
        Validation fine = validator(rootOnly, RevocationMode.HARD_FAIL, issuingCrl, rootRevokesNothing)
                .validate(pki.client.chain(), Purpose.CLIENT);
        Validation unknown =
                validator(rootOnly, RevocationMode.HARD_FAIL, issuingCrl).validate(pki.client.chain(), Purpose.CLIENT);

        assertThat(revoked.code()).isEqualTo("revoked");
        assertThat(revoked.message()).contains("CA certificate CN=Trust Test Issuing CA");
        assertThat(fine.code()).isEqualTo("valid");
        assertThat(unknown.code()).isEqualTo("revocation-unknown");
        assertThat(unknown.message()).contains("no CRL of CN=Trust Test Root CA");
    }

    @Test
    void aCrlServedOverHttpIsFetchedAndUsed() throws IOException {
        HttpServer crlServer = crlServer(pki.crl(pki.issuing, pki.revoked));
        CertificateValidator validator = validator(RevocationMode.HARD_FAIL, url(crlServer));

        assertThat(validator.validate(pki.client.chain(), Purpose.CLIENT).code())
                .isEqualTo("valid");
        assertThat(validator.validate(pki.revoked.chain(), Purpose.CLIENT).code())
                .isEqualTo("revoked");
    }

    @Test
    void whenTheCrlServerIsUnreachableHardFailRefusesEvenARevokedCertificateAsRevocationUnknown() throws IOException {
        HttpServer crlServer = crlServer(pki.crl(pki.issuing, pki.revoked));
        String url = url(crlServer);
        crlServer.stop(0);

        CertificateValidator validator = validator(RevocationMode.HARD_FAIL, url);

        assertThat(validator.validate(pki.revoked.chain(), Purpose.CLIENT).code())
                .isEqualTo("revocation-unknown");
        assertThat(validator.validate(pki.client.chain(), Purpose.CLIENT).code())
                .isEqualTo("revocation-unknown");
    }

    @Test
    void whenTheCrlServerIsUnreachableSoftFailAcceptsARevokedCertificateWithAWarning() throws IOException {
        HttpServer crlServer = crlServer(pki.crl(pki.issuing, pki.revoked));
        String url = url(crlServer);
        crlServer.stop(0);

        Validation v = validator(RevocationMode.SOFT_FAIL, url).validate(pki.revoked.chain(), Purpose.CLIENT);

        assertThat(v.isValid()).isTrue();
        assertThat(v.warning())
                .hasValueSatisfying(
                        w -> assertThat(w).contains("revocation status").contains("soft-fail"));
    }

    @Test
    void aCrlFetchedBeforeTheServerWentDownStaysInUseUntilItsNextUpdate() throws IOException {
        HttpServer crlServer = crlServer(pki.crl(pki.issuing, pki.revoked));
        CrlStore store = store(url(crlServer));
        CertificateValidator validator = new CertificateValidator(
                pki.anchors(), store, RevocationMode.HARD_FAIL, Duration.ZERO, Clock.systemUTC());
        crlServer.stop(0);

        store.refreshNow();

        assertThat(validator.validate(pki.revoked.chain(), Purpose.CLIENT).code())
                .isEqualTo("revoked");
        assertThat(validator.validate(pki.client.chain(), Purpose.CLIENT).code())
                .isEqualTo("valid");
        assertThat(store.sources().get(0).problem())
                .hasValueSatisfying(p -> assertThat(p).contains("cannot load CRL"));
    }

    @Test
    void verdictsAreCachedUntilTheCrlsChange() {
        Path file = dir.resolve("issuing.crl.pem");
        TrustPki.write(
                file, pki.crl(pki.issuing, pki.now.minus(Duration.ofHours(2)), pki.now.plus(Duration.ofDays(7)), 1));
        CrlStore store = store(file.toString());
        CertificateValidator validator = new CertificateValidator(
                pki.anchors(), store, RevocationMode.HARD_FAIL, Duration.ofMinutes(5), Clock.systemUTC());

        Validation first = validator.validate(pki.client.chain(), Purpose.CLIENT);
        Validation again = validator.validate(pki.client.chain(), Purpose.CLIENT);
        TrustPki.write(
                file,
                pki.crl(
                        pki.issuing,
                        pki.now.minus(Duration.ofHours(1)),
                        pki.now.plus(Duration.ofDays(7)),
                        2,
                        pki.client));
        store.refreshNow();
        Validation afterRevocation = validator.validate(pki.client.chain(), Purpose.CLIENT);

        assertThat(first.isValid()).isTrue();
        assertThat(again).isSameAs(first);
        assertThat(afterRevocation.code()).isEqualTo("revoked");
    }

    @Test
    void theVerdictForOnePurposeIsNotReusedForAnother() {
        CertificateValidator validator = new CertificateValidator(
                pki.anchors(),
                store(crlFile(pki.crl(pki.issuing))),
                RevocationMode.HARD_FAIL,
                Duration.ofMinutes(5),
                Clock.systemUTC());

        assertThat(validator.validate(pki.serverOnly.chain(), Purpose.SERVER).isValid())
                .isTrue();
        assertThat(validator.validate(pki.serverOnly.chain(), Purpose.CLIENT).code())
                .isEqualTo("wrong-key-usage");
    }

    private CertificateValidator validator(RevocationMode mode, String... sources) {
        return validator(pki.anchors(), mode, sources);
    }

    private CertificateValidator validator(TrustAnchors anchors, RevocationMode mode, String... sources) {
        return new CertificateValidator(anchors, store(anchors, sources), mode, Duration.ZERO, Clock.systemUTC());
    }

    private CrlStore store(String... sources) {
        return store(pki.anchors(), sources);
    }

    private CrlStore store(TrustAnchors anchors, String... sources) {
        CrlStore store = new CrlStore(
                List.of(sources),
                anchors.certificates(),
                Duration.ofHours(1),
                Duration.ofSeconds(2),
                Clock.systemUTC());
        open.add(store);
        store.start();
        return store;
    }

    private int files;

    private String crlFile(X509CRL crl) {
        return TrustPki.write(dir.resolve("crl-" + ++files + ".pem"), crl);
    }

    private HttpServer crlServer(X509CRL crl) throws IOException {
        byte[] body = Pki.pem(crl).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/issuing.crl", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/pkix-crl");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        open.add(() -> server.stop(0));
        return server;
    }

    private static String url(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/issuing.crl";
    }
}
