package nl.wmogateway.trust;

/**
 * What a certificate is presented for: a TLS handshake (with the extended key usage that allows
 * it) or a signature over a payload.
 */
public enum Purpose {

    /** A TLS client: an EHR or gemeente calling the gateway, or the gateway calling out. */
    CLIENT("clientAuth", "1.3.6.1.5.5.7.3.2"),

    /** A TLS server: the endpoint of a gemeente or care organisation the gateway delivers to. */
    SERVER("serverAuth", "1.3.6.1.5.5.7.3.1"),

    /**
     * The signer of a detached CMS signature: key usage digitalSignature or nonRepudiation; no
     * extended key usage is required (organisation certificates sign with their TLS certificate).
     */
    SIGNING("", "");

    private final String extendedKeyUsage;
    private final String oid;

    Purpose(String extendedKeyUsage, String oid) {
        this.extendedKeyUsage = extendedKeyUsage;
        this.oid = oid;
    }

    /** The RFC 5280 name of the extended key usage, e.g. {@code clientAuth}. */
    public String extendedKeyUsage() {
        return extendedKeyUsage;
    }

    /** Its object identifier. */
    public String oid() {
        return oid;
    }
}
