package nl.wmogateway.trust;

import java.nio.file.Path;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The CA certificates partners' certificates must chain to: the trusted-certificate entries of the
 * gateway's truststore. Each is a trust anchor in its own right, so trusting an issuing CA
 * directly trusts exactly what it issues, and trusting only a root trusts everything below it.
 *
 * @param certificates the trusted CA certificates, in the store's alias order
 */
public record TrustAnchors(List<X509Certificate> certificates) {

    public TrustAnchors {
        certificates = List.copyOf(certificates);
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("at least one trusted CA certificate is needed");
        }
    }

    /**
     * The trusted-certificate entries of a PKCS#12 truststore.
     *
     * @throws IllegalStateException naming the file (never the password) when it cannot be read
     *                               or holds no trusted certificate entries
     */
    public static TrustAnchors load(Path truststore, char[] password) {
        return new TrustAnchors(Stores.trustedCertificates(new TlsContexts.TrustStoreFile(truststore, password)));
    }

    /** The same certificates as PKIX trust anchors. */
    public Set<TrustAnchor> asPkixAnchors() {
        Set<TrustAnchor> anchors = new LinkedHashSet<>();
        certificates.forEach(c -> anchors.add(new TrustAnchor(c, null)));
        return anchors;
    }
}
