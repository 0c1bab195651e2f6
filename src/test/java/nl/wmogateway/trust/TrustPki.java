package nl.wmogateway.trust;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import nl.wmogateway.pki.CertificateSpec;
import nl.wmogateway.pki.CertificateSpec.TlsRole;
import nl.wmogateway.pki.Credential;
import nl.wmogateway.pki.CrlSpec;
import nl.wmogateway.pki.Pki;
import nl.wmogateway.pki.Validity;

/**
 * A fresh PKI for trust tests: a root and an issuing CA (both trusted), a foreign root, an
 * impostor CA that copies the issuing CA's name with a key of its own, and leaves for each case.
 */
final class TrustPki {

    static final String ISSUING_DN = "CN=Trust Test Issuing CA, O=Trust Test, C=NL";

    final Pki pki = Pki.random();
    final Instant now = Instant.now();
    final Validity valid = new Validity(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(60)));

    final Credential root = pki.rootCa(CertificateSpec.of("root", "CN=Trust Test Root CA, O=Trust Test, C=NL", valid));
    final Credential issuing = pki.issuingCa(CertificateSpec.of("issuing", ISSUING_DN, valid), root);
    final Credential foreignRoot =
            pki.rootCa(CertificateSpec.of("foreign-root", "CN=Foreign Root CA, O=Elsewhere, C=NL", valid));
    final Credential impostor = pki.rootCa(CertificateSpec.of("impostor", ISSUING_DN, valid));

    final Credential client = leaf("client", "CN=ehr.trust-test.example, O=Thuiszorg Test, C=NL", TlsRole.CLIENT);
    final Credential server = pki.leaf(
            CertificateSpec.of("server", "CN=wmo.gemeente.example, O=Gemeente Test, C=NL", valid)
                    .withRoles(TlsRole.SERVER, TlsRole.CLIENT)
                    .withDnsNames("localhost")
                    .withIpAddresses("127.0.0.1"),
            issuing);
    final Credential revoked = leaf("revoked", "CN=revoked.trust-test.example, O=Thuiszorg Test, C=NL", TlsRole.CLIENT);
    final Credential revokedServer = pki.leaf(
            CertificateSpec.of("revoked-server", "CN=revoked.gemeente.example, O=Gemeente Test, C=NL", valid)
                    .withRoles(TlsRole.SERVER)
                    .withDnsNames("localhost")
                    .withIpAddresses("127.0.0.1"),
            issuing);
    final Credential otherHost = pki.leaf(
            CertificateSpec.of("other-host", "CN=elders.gemeente.example, O=Gemeente Test, C=NL", valid)
                    .withRoles(TlsRole.SERVER)
                    .withDnsNames("elders.gemeente.example"),
            issuing);
    final Credential serverOnly = pki.leaf(
            CertificateSpec.of("server-only", "CN=server-only.example, O=Test, C=NL", valid)
                    .withRoles(TlsRole.SERVER)
                    .withDnsNames("localhost")
                    .withIpAddresses("127.0.0.1"),
            issuing);
    final Credential clientOnly = pki.leaf(
            CertificateSpec.of("client-only", "CN=client-only.example, O=Test, C=NL", valid)
                    .withRoles(TlsRole.CLIENT)
                    .withDnsNames("localhost")
                    .withIpAddresses("127.0.0.1"),
            issuing);
    final Credential expired = pki.leaf(
            CertificateSpec.of(
                            "expired",
                            "CN=expired.trust-test.example, O=Thuiszorg Test, C=NL",
                            new Validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))))
                    .withRoles(TlsRole.CLIENT),
            issuing);
    final Credential notYetValid = pki.leaf(
            CertificateSpec.of(
                            "not-yet-valid",
                            "CN=later.trust-test.example, O=Thuiszorg Test, C=NL",
                            new Validity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(30))))
                    .withRoles(TlsRole.CLIENT),
            issuing);
    final Credential foreign = pki.leaf(
            CertificateSpec.of("foreign", "CN=ehr.trust-test.example, O=Thuiszorg Test, C=NL", valid)
                    .withRoles(TlsRole.CLIENT),
            foreignRoot);

    TrustAnchors anchors() {
        return new TrustAnchors(List.of(root.certificate(), issuing.certificate()));
    }

    Credential leaf(String name, String subject, TlsRole... roles) {
        return pki.leaf(CertificateSpec.of(name, subject, valid).withRoles(roles), issuing);
    }

    /** A CRL of {@code ca}, issued an hour ago and due in a week, listing {@code revoked}. */
    X509CRL crl(Credential ca, Credential... listed) {
        return crl(ca, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(7)), 1, listed);
    }

    X509CRL crl(Credential ca, Instant thisUpdate, Instant nextUpdate, int number, Credential... listed) {
        return pki.crl(
                ca,
                new CrlSpec(
                        thisUpdate,
                        nextUpdate,
                        BigInteger.valueOf(number),
                        Arrays.stream(listed)
                                .map(c -> CrlSpec.Revocation.of(
                                        c.certificate(), thisUpdate, CrlSpec.Reason.KEY_COMPROMISE))
                                .toList()));
    }

    /** Writes the CRL as PEM to {@code file} and returns its path as a CRL source. */
    static String write(Path file, X509CRL crl) {
        Pki.writePem(file, crl);
        return file.toString();
    }
}
