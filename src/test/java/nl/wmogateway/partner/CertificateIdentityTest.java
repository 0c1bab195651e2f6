package nl.wmogateway.partner;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import nl.wmogateway.pki.CertificateSpec;
import nl.wmogateway.pki.Credential;
import nl.wmogateway.pki.Pki;
import nl.wmogateway.pki.Validity;
import org.junit.jupiter.api.Test;

class CertificateIdentityTest {

    private static final Pki PKI = Pki.random();
    private static final Validity VALID =
            Validity.between(LocalDate.now().minusDays(1), LocalDate.now().plusYears(1));
    private static final Credential CA = PKI.rootCa(CertificateSpec.of("ca", "CN=Test CA,C=NL", VALID));
    private static final Credential OTHER_CA = PKI.rootCa(CertificateSpec.of("other-ca", "CN=Other CA,C=NL", VALID));
    private static final X509Certificate EHR = PKI.leaf(
                    CertificateSpec.of("ehr", "CN=ehr.example,O=Zorg,C=NL", VALID)
                            .withRoles(CertificateSpec.TlsRole.CLIENT),
                    CA)
            .certificate();
    private static final X509Certificate SAME_SUBJECT_OTHER_CA = PKI.leaf(
                    CertificateSpec.of("twin", "CN=ehr.example,O=Zorg,C=NL", VALID)
                            .withRoles(CertificateSpec.TlsRole.CLIENT),
                    OTHER_CA)
            .certificate();

    @Test
    void subjectAndIssuerTogetherTellTwinsApart() {
        CertificateIdentity id = new CertificateIdentity(
                Optional.of("CN=ehr.example,O=Zorg,C=NL"), Optional.of("CN=Test CA,C=NL"), Optional.empty());

        assertThat(id.matches(EHR)).isTrue();
        assertThat(id.matches(SAME_SUBJECT_OTHER_CA)).isFalse();
    }

    @Test
    void aFingerprintPinsOneCertificate() {
        CertificateIdentity id = new CertificateIdentity(
                Optional.empty(), Optional.empty(), Optional.of(CertificateIdentity.fingerprint(EHR)));

        assertThat(id.matches(EHR)).isTrue();
        assertThat(id.matches(SAME_SUBJECT_OTHER_CA)).isFalse();
    }

    @Test
    void issuerAndSerialPinOneCertificateOfOneCa() {
        CertificateIdentity id = new CertificateIdentity(
                Optional.empty(),
                Optional.of("CN=Test CA,C=NL"),
                Optional.empty(),
                Optional.of(EHR.getSerialNumber().toString(16).toUpperCase(Locale.ROOT)));

        assertThat(id.isEmpty()).isFalse();
        assertThat(id.matches(EHR)).isTrue();
        assertThat(id.matches(SAME_SUBJECT_OTHER_CA)).isFalse();
    }

    @Test
    void aSerialWithoutIssuerIdentifiesNothing() {
        CertificateIdentity id = new CertificateIdentity(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(EHR.getSerialNumber().toString(16)));

        assertThat(id.isEmpty()).isTrue();
        assertThat(id.matches(EHR)).isFalse();
    }

    @Test
    void aCertificateThatMatchesTwoPartnersMapsToNone() {
        CertificateIdentity bySubject =
                new CertificateIdentity(Optional.of("CN=ehr.example,O=Zorg,C=NL"), Optional.empty(), Optional.empty());
        Partners partners = new Partners(
                List.of(),
                List.of(
                        new ZorgorganisatiePartner(
                                "12345678",
                                Optional.empty(),
                                "Een",
                                bySubject,
                                Optional.empty(),
                                Optional.empty(),
                                null),
                        new ZorgorganisatiePartner(
                                "23456789",
                                Optional.empty(),
                                "Twee",
                                bySubject,
                                Optional.empty(),
                                Optional.empty(),
                                null)),
                List.of());

        assertThat(partners.zorgorganisatieFor(EHR)).isEmpty();
    }
}
