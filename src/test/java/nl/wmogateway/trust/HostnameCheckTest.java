package nl.wmogateway.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import nl.wmogateway.pki.CertificateSpec;
import nl.wmogateway.pki.CertificateSpec.TlsRole;
import nl.wmogateway.pki.Credential;
import nl.wmogateway.pki.Pki;
import nl.wmogateway.pki.Validity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Which host names a server certificate is for: subjectAltName only, wildcards for one whole label. */
class HostnameCheckTest {

    static X509Certificate wmo;

    @BeforeAll
    static void makeACertificate() {
        Pki pki = Pki.random();
        Validity valid = new Validity(
                Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(1)));
        Credential ca = pki.rootCa(CertificateSpec.of("ca", "CN=Hostname Test CA, C=NL", valid));
        wmo = pki.leaf(
                        CertificateSpec.of("wmo", "CN=cn-is-not-used.example, O=Gemeente, C=NL", valid)
                                .withRoles(TlsRole.SERVER)
                                .withDnsNames("wmo.gemeente.example", "*.koppeling.gemeente.example")
                                .withIpAddresses("10.1.2.3", "::1"),
                        ca)
                .certificate();
    }

    @Test
    void aDnsNameInTheSubjectAltNameMatchesWhateverItsCase() {
        assertThat(HostnameCheck.mismatch(wmo, "wmo.gemeente.example")).isEmpty();
        assertThat(HostnameCheck.mismatch(wmo, "WMO.Gemeente.Example.")).isEmpty();
    }

    @Test
    void aWildcardStandsForExactlyOneLeftMostLabel() {
        assertThat(HostnameCheck.mismatch(wmo, "acc.koppeling.gemeente.example"))
                .isEmpty();
        assertThat(HostnameCheck.mismatch(wmo, "koppeling.gemeente.example")).isPresent();
        assertThat(HostnameCheck.mismatch(wmo, "a.b.koppeling.gemeente.example"))
                .isPresent();
    }

    @Test
    void theSubjectCommonNameIsNotUsed() {
        assertThat(HostnameCheck.mismatch(wmo, "cn-is-not-used.example"))
                .hasValueSatisfying(m -> assertThat(m).contains("wmo.gemeente.example"));
    }

    @Test
    void anIpAddressMustBeAnIpAddressEntry() {
        assertThat(HostnameCheck.mismatch(wmo, "10.1.2.3")).isEmpty();
        assertThat(HostnameCheck.mismatch(wmo, "[0:0:0:0:0:0:0:1]")).isEmpty();
        assertThat(HostnameCheck.mismatch(wmo, "10.1.2.4")).isPresent();
    }

    @Test
    void withoutAHostNameNothingMatches() {
        assertThat(HostnameCheck.mismatch(wmo, "")).isPresent();
    }
}
