package nl.wmogateway.pki;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A private key with its certificate and the chain up to (and including) the root that issued it:
 * what goes into a PKCS#12 keystore, and what a CA needs to issue further certificates.
 *
 * @param name       the name the certificate was made under (see {@link CertificateSpec#name()})
 * @param privateKey the private key
 * @param chain      this credential's certificate first, then each issuer up to the root
 */
public record Credential(String name, PrivateKey privateKey, List<X509Certificate> chain) {

    public Credential {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(privateKey, "privateKey");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a credential needs at least its own certificate");
        }
    }

    /** This credential's own certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    public PublicKey publicKey() {
        return certificate().getPublicKey();
    }

    /** The self-signed certificate the chain ends in. */
    public X509Certificate root() {
        return chain.get(chain.size() - 1);
    }

    // The default record toString would print the private key, and JDK RSA keys print their exponent.
    @Override
    public String toString() {
        return "Credential[name=" + name + ", subject=" + certificate().getSubjectX500Principal() + ", serial="
                + certificate().getSerialNumber().toString(16) + "]";
    }
}
