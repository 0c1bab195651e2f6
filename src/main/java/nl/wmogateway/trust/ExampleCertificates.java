package nl.wmogateway.trust;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Recognises the example certificates in {@code certs-example/}: their CAs carry
 * {@value #NOT_FOR_PRODUCTION} in the organisation, so every example leaf carries it in its
 * issuer. The production guard refuses to start with one in a keystore (TLS or signing, file or
 * token), truststore or partner file. The certificates themselves are made by the example-PKI generator in the test sources.
 */
public final class ExampleCertificates {

    /** Appears in the organisation of both example CAs, and so in the issuer of every example leaf. */
    public static final String NOT_FOR_PRODUCTION = "NOT FOR PRODUCTION";

    private ExampleCertificates() {}

    /**
     * The example certificates in a PKCS#12 store: its trusted entries and the chains of its keys.
     *
     * @throws StoreException naming the file when it cannot be read
     */
    public static List<X509Certificate> inStore(Path store, char[] password, String kind) {
        return Stores.everyCertificate(store, password, kind).stream()
                .filter(ExampleCertificates::isExampleCertificate)
                .toList();
    }

    /**
     * The example certificates in a keystore or PKCS#11 token: the chains of its keys and its
     * trusted entries.
     *
     * @throws StoreException naming the file or token when it cannot be opened
     */
    public static List<X509Certificate> inKeystore(TlsContexts.KeyStoreFile identity) {
        return Stores.everyCertificate(identity).stream()
                .filter(ExampleCertificates::isExampleCertificate)
                .toList();
    }

    /** Whether the subject or the issuer carries the {@value #NOT_FOR_PRODUCTION} marker. */
    public static boolean isExampleCertificate(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName().contains(NOT_FOR_PRODUCTION)
                || certificate.getIssuerX500Principal().getName().contains(NOT_FOR_PRODUCTION);
    }
}
