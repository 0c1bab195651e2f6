package nl.wmogateway.trust;

/**
 * Where a key and its certificate chain are kept: a PKCS#12 file, or a PKCS#11 token (a hardware
 * security module, a smart card, SoftHSM) reached through the JDK's SunPKCS11 provider.
 */
public enum KeyStoreType {

    /** A {@code .p12} file; its password also protects the key. */
    PKCS12,

    /**
     * A PKCS#11 token, described by a SunPKCS11 configuration file (library, slot); the password is
     * the token's user PIN. Its private keys never leave the token: signatures and TLS handshakes
     * are computed by it.
     */
    PKCS11
}
