package nl.wmogateway.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import nl.wmogateway.pki.Credential;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading and refreshing CRLs: formats, schedule, nextUpdate, and what is never accepted. */
class CrlStoreTest {

    static TrustPki pki;

    @TempDir
    Path dir;

    private CrlStore store;

    @BeforeAll
    static void makeThePki() {
        pki = new TrustPki();
    }

    @AfterEach
    void stop() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void aDerEncodedCrlFileIsReadAsWellAsPem() throws Exception {
        Path der = dir.resolve("issuing.crl");
        Files.write(der, pki.crl(pki.issuing, pki.revoked).getEncoded());

        store = started(Duration.ofHours(1), der.toUri().toString());

        assertThat(store.status(pki.revoked.certificate(), pki.issuing.certificate(), Instant.now()))
                .isInstanceOf(RevocationStatus.Revoked.class);
        assertThat(store.status(pki.client.certificate(), pki.issuing.certificate(), Instant.now()))
                .isInstanceOf(RevocationStatus.Good.class);
    }

    @Test
    void theCrlsAreLoadedAgainOnTheRefreshSchedule() {
        Path file = dir.resolve("issuing.crl.pem");
        TrustPki.write(file, crl(Duration.ofHours(2), Duration.ofDays(7), 1));
        store = started(Duration.ofSeconds(1), file.toString());
        assertThat(status(pki.client)).isInstanceOf(RevocationStatus.Good.class);

        TrustPki.write(file, crl(Duration.ofHours(1), Duration.ofDays(7), 2, pki.client));

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(status(pki.client)).isInstanceOf(RevocationStatus.Revoked.class));
    }

    @Test
    void aNewCrlIsFetchedJustAfterTheNextUpdateOfTheOneHeld() {
        Path file = dir.resolve("issuing.crl.pem");
        Instant nextUpdate = Instant.now().plusSeconds(3);
        TrustPki.write(file, pki.crl(pki.issuing, Instant.now().minusSeconds(60), nextUpdate, 1));
        store = started(Duration.ofHours(1), file.toString());
        TrustPki.write(file, crl(Duration.ofSeconds(30), Duration.ofDays(7), 2, pki.client));

        assertThat(status(pki.client)).isInstanceOf(RevocationStatus.Good.class);
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(status(pki.client)).isInstanceOf(RevocationStatus.Revoked.class));
    }

    @Test
    void anOlderCrlDoesNotReplaceTheNewerOneHeld() {
        Path file = dir.resolve("issuing.crl.pem");
        TrustPki.write(file, crl(Duration.ofHours(1), Duration.ofDays(7), 2, pki.client));
        store = started(Duration.ofHours(1), file.toString());

        TrustPki.write(file, crl(Duration.ofDays(2), Duration.ofDays(7), 1));
        store.refreshNow();

        assertThat(status(pki.client)).isInstanceOf(RevocationStatus.Revoked.class);
    }

    @Test
    void aCrlWithABadSignatureDoesNotReplaceTheGoodOneHeld() {
        Path file = dir.resolve("issuing.crl.pem");
        TrustPki.write(file, crl(Duration.ofHours(2), Duration.ofDays(7), 1, pki.revoked));
        store = started(Duration.ofHours(1), file.toString());

        TrustPki.write(file, pki.crl(pki.impostor));
        store.refreshNow();

        assertThat(status(pki.revoked)).isInstanceOf(RevocationStatus.Revoked.class);
        assertThat(store.sources().get(0).problem())
                .hasValueSatisfying(p -> assertThat(p).contains("signature"));
    }

    @Test
    void aCrlIssuedInTheFutureIsIgnored() {
        Path file = dir.resolve("issuing.crl.pem");
        TrustPki.write(
                file,
                pki.crl(
                        pki.issuing,
                        Instant.now().plus(Duration.ofHours(1)),
                        Instant.now().plus(Duration.ofDays(7)),
                        1));

        store = started(Duration.ofHours(1), file.toString());

        assertThat(status(pki.client)).isInstanceOf(RevocationStatus.Unknown.class);
    }

    @Test
    void aMissingFileIsReportedWithoutStoppingTheOtherSources() {
        String good = TrustPki.write(dir.resolve("issuing.crl.pem"), crl(Duration.ofHours(1), Duration.ofDays(7), 1));

        store = started(Duration.ofHours(1), dir.resolve("nowhere.crl").toString(), good);

        assertThat(status(pki.client)).isInstanceOf(RevocationStatus.Good.class);
        assertThat(store.sources())
                .first()
                .satisfies(s -> assertThat(s.problem())
                        .hasValueSatisfying(p -> assertThat(p).contains("nowhere.crl")));
    }

    @Test
    void whileASourceFailsTheNextAttemptComesWithinFiveMinutes() {
        store = started(Duration.ofHours(1), dir.resolve("nowhere.crl").toString());

        assertThat(store.nextDelay(Instant.now())).isLessThanOrEqualTo(Duration.ofMinutes(CrlStore.RETRY_MINUTES));
    }

    @Test
    void theDaysUntilTheNextUpdateOfEachCasCrlAreAGaugeThatFollowsTheReloads() {
        Path file = dir.resolve("issuing.crl.pem");
        TrustPki.write(file, crl(Duration.ofHours(1), Duration.ofDays(3), 1));
        store = started(Duration.ofSeconds(1), file.toString());
        assertThat(store.nextUpdates())
                .containsOnlyKeys(
                        pki.issuing.certificate().getSubjectX500Principal().getName());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();

        new CertificateExpiry(
                List.of(pki.client.certificate()),
                pki.anchors(),
                Duration.ofDays(30),
                Clock.systemUTC(),
                Optional.of(meters),
                Optional.of(store),
                Optional.of(RevocationMode.HARD_FAIL));

        Gauge gauge = meters.get(CertificateExpiry.CRL_GAUGE).gauge();
        assertThat(gauge.getId().getTag("issuer")).isEqualTo("Trust Test Issuing CA");
        assertThat(gauge.value()).isCloseTo(3.0, within(0.01));
        TrustPki.write(file, crl(Duration.ofMinutes(30), Duration.ofDays(7), 2));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(gauge.value()).isCloseTo(7.0, within(0.01)));
        assertThat(meters.get(CertificateExpiry.CRL_GAUGE).gauges()).hasSize(1);
    }

    private RevocationStatus status(Credential credential) {
        return store.status(credential.certificate(), pki.issuing.certificate(), Instant.now());
    }

    private static X509CRL crl(Duration issuedAgo, Duration dueIn, int number, Credential... listed) {
        Instant now = Instant.now();
        return pki.crl(pki.issuing, now.minus(issuedAgo), now.plus(dueIn), number, listed);
    }

    private static CrlStore started(Duration refresh, String... sources) {
        CrlStore crls = new CrlStore(
                List.of(sources), pki.anchors().certificates(), refresh, Duration.ofSeconds(2), Clock.systemUTC());
        crls.start();
        return crls;
    }
}
