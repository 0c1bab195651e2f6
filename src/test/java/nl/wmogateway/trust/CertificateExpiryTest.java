package nl.wmogateway.trust;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nl.wmogateway.pki.CertificateSpec;
import nl.wmogateway.pki.CertificateSpec.TlsRole;
import nl.wmogateway.pki.Credential;
import nl.wmogateway.pki.Pki;
import nl.wmogateway.pki.Validity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/** Health, gauges and log lines about the expiry of the gateway's certificate and the trusted CAs. */
class CertificateExpiryTest {

    static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");

    static Credential root;
    static Credential issuing;
    static Credential gateway;

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(CertificateExpiry.class);

    @BeforeAll
    static void makeCertificates() {
        Pki pki = Pki.random();
        root = pki.rootCa(CertificateSpec.of(
                "root",
                "CN=Expiry Root CA, O=Test, C=NL",
                new Validity(NOW.minus(Duration.ofDays(3650)), NOW.plus(Duration.ofDays(3650)))));
        issuing = pki.issuingCa(
                CertificateSpec.of(
                        "issuing",
                        "CN=Expiry Issuing CA, O=Test, C=NL",
                        new Validity(NOW.minus(Duration.ofDays(365)), NOW.plus(Duration.ofDays(400)))),
                root);
        gateway = pki.leaf(
                CertificateSpec.of(
                                "gateway",
                                "CN=gateway.expiry.example, O=Test, C=NL",
                                new Validity(
                                        NOW.minus(Duration.ofDays(355)),
                                        NOW.plus(Duration.ofDays(10)).plusSeconds(60)))
                        .withRoles(TlsRole.SERVER, TlsRole.CLIENT),
                issuing);
    }

    @BeforeEach
    void captureTheLog() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void releaseTheLog() {
        logger.detachAppender(logged);
    }

    @Test
    void aGatewayCertificateExpiringWithinTheWarningPeriodIsLoggedOnceAsWarningWithSubjectAndDaysLeft() {
        expiry(NOW, new SimpleMeterRegistry()).check();

        assertThat(logged.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage())
                    .isEqualTo("certificate CN=gateway.expiry.example,O=Test,C=NL (gateway) expires in 10 day(s), on "
                            + gateway.certificate().getNotAfter().toInstant());
        });
    }

    @Test
    void theHealthIsUpWhileNothingHasExpiredAndNamesWhatIsExpiring() {
        Health health = expiry(NOW, new SimpleMeterRegistry()).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(certificates(health)).anySatisfy(c -> {
            assertThat(c).containsEntry("subject", "CN=gateway.expiry.example,O=Test,C=NL");
            assertThat(c).containsEntry("state", "expiring").containsEntry("daysLeft", 10L);
        });
        assertThat(health.getDetails().toString()).doesNotContain("PRIVATE", "BEGIN");
    }

    @Test
    void theHealthIsDownOnceTheGatewaysOwnCertificateHasExpired() {
        Health health =
                expiry(NOW.plus(Duration.ofDays(11)), new SimpleMeterRegistry()).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    }

    @Test
    void theHealthIsOutOfServiceWhenOnlyATrustedCaHasExpired() {
        Pki pki = Pki.random();
        Credential oldCa = pki.rootCa(CertificateSpec.of(
                "old-ca",
                "CN=Old Partner CA, O=Test, C=NL",
                new Validity(NOW.minus(Duration.ofDays(900)), NOW.minus(Duration.ofDays(2)))));
        CertificateExpiry expiry = new CertificateExpiry(
                gateway.chain(),
                new TrustAnchors(List.of(root.certificate(), oldCa.certificate())),
                Duration.ofDays(5),
                Clock.fixed(NOW, ZoneOffset.UTC),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());

        assertThat(expiry.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
    }

    @Test
    void anExpiredCertificateIsLoggedAsError() {
        expiry(NOW.plus(Duration.ofDays(11)), new SimpleMeterRegistry()).check();

        assertThat(logged.list).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.ERROR);
            assertThat(e.getFormattedMessage())
                    .startsWith("certificate CN=gateway.expiry.example,O=Test,C=NL (gateway) expired on");
        });
    }

    @Test
    void everyWatchedCertificateHasAGaugeOfDaysLeftTaggedWithItsCommonNameAndRole() {
        MeterRegistry meters = new SimpleMeterRegistry();

        expiry(NOW, meters);

        assertThat(meters.get(CertificateExpiry.GAUGE)
                        .tag("certificate", "gateway.expiry.example")
                        .tag("role", "gateway")
                        .gauge()
                        .value())
                .isEqualTo(10.0);
        assertThat(meters.get(CertificateExpiry.GAUGE)
                        .tag("certificate", "Expiry Issuing CA")
                        .tag("role", "gateway-chain")
                        .gauge()
                        .value())
                .isEqualTo(400.0);
        assertThat(meters.get(CertificateExpiry.GAUGE)
                        .tag("certificate", "Expiry Root CA")
                        .tag("role", "gateway-chain")
                        .gauge()
                        .value())
                .isEqualTo(3650.0);
        assertThat(meters.get(CertificateExpiry.GAUGE).gauges()).hasSize(3);
    }

    @Test
    void theTruststoresCasAreWatchedAsTrustAnchors() {
        CertificateExpiry expiry = new CertificateExpiry(
                List.of(gateway.certificate()),
                new TrustAnchors(List.of(root.certificate(), issuing.certificate())),
                Duration.ofDays(30),
                Clock.fixed(NOW, ZoneOffset.UTC),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());

        assertThat(expiry.watched())
                .extracting(CertificateExpiry.Watched::role)
                .containsExactly(
                        CertificateExpiry.Role.GATEWAY,
                        CertificateExpiry.Role.TRUST_ANCHOR,
                        CertificateExpiry.Role.TRUST_ANCHOR);
    }

    @Test
    void aSeparateSigningCertificateIsWatchedAndItsExpiryIsTheGatewaysOwn() {
        Credential signing = Pki.random()
                .leaf(
                        CertificateSpec.of(
                                        "signing",
                                        "CN=signing.expiry.example, O=Test, C=NL",
                                        new Validity(NOW.minus(Duration.ofDays(30)), NOW.plus(Duration.ofDays(5))))
                                .withRoles(TlsRole.CLIENT),
                        issuing);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        TrustAnchors anchors = new TrustAnchors(List.of(root.certificate(), issuing.certificate()));

        CertificateExpiry expiry = new CertificateExpiry(
                gateway.chain(),
                signing.chain(),
                anchors,
                Duration.ofDays(30),
                Clock.fixed(NOW, ZoneOffset.UTC),
                Optional.of(meters),
                Optional.empty(),
                Optional.empty());
        CertificateExpiry afterItExpired = new CertificateExpiry(
                gateway.chain(),
                signing.chain(),
                anchors,
                Duration.ofDays(30),
                Clock.fixed(NOW.plus(Duration.ofDays(6)), ZoneOffset.UTC),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());

        assertThat(expiry.watched())
                .extracting(CertificateExpiry.Watched::role)
                .containsExactly(
                        CertificateExpiry.Role.GATEWAY,
                        CertificateExpiry.Role.GATEWAY_CHAIN,
                        CertificateExpiry.Role.GATEWAY_CHAIN,
                        CertificateExpiry.Role.SIGNING);
        assertThat(meters.get(CertificateExpiry.GAUGE)
                        .tag("role", "signing")
                        .gauge()
                        .value())
                .isEqualTo(5.0);
        assertThat(afterItExpired.health().getStatus()).isEqualTo(Status.DOWN);
    }

    @Test
    void theTlsCertificateThatAlsoSignsIsWatchedOnce() {
        CertificateExpiry expiry = new CertificateExpiry(
                gateway.chain(),
                gateway.chain().subList(0, 2),
                new TrustAnchors(List.of(root.certificate())),
                Duration.ofDays(30),
                Clock.fixed(NOW, ZoneOffset.UTC),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());

        assertThat(expiry.watched()).hasSize(3).noneMatch(w -> w.role() == CertificateExpiry.Role.SIGNING);
    }

    private static CertificateExpiry expiry(Instant now, MeterRegistry meters) {
        return new CertificateExpiry(
                gateway.chain(),
                new TrustAnchors(List.of(root.certificate(), issuing.certificate())),
                Duration.ofDays(30),
                Clock.fixed(now, ZoneOffset.UTC),
                Optional.of(meters),
                Optional.empty(),
                Optional.of(RevocationMode.HARD_FAIL));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> certificates(Health health) {
        return (List<Map<String, Object>>) health.getDetails().get("certificates");
    }
}
