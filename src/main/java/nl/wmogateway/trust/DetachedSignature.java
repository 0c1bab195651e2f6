package nl.wmogateway.trust;

import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * A detached CMS SignedData (RFC 5652) over one payload, DER-encoded, and how it travels with the
 * payload. The transport convention (see {@code docs/signatures.md}):
 * <ul>
 *   <li>over HTTP, the headers {@value #HEADER}{@code : <base64 of the DER>} and
 *       {@value #ALGORITHM_HEADER}{@code : }{@value #ALGORITHM} next to the unchanged body;</li>
 *   <li>as files, the DER as {@code <payload file name>}{@value #FILE_SUFFIX} next to the payload.</li>
 * </ul>
 * The payload itself is never changed or wrapped: the receiver gets exactly the bytes that were signed.
 *
 * @param der the DER encoding of the CMS ContentInfo; copied in and out
 */
public record DetachedSignature(byte[] der) {

    /** The HTTP header that carries the signature: standard base64 (RFC 4648 section 4, padded, no line breaks). */
    public static final String HEADER = "X-Wmo-Signature";

    /** The HTTP header that names the signature format, so that another format can be introduced later. */
    public static final String ALGORITHM_HEADER = "X-Wmo-Signature-Alg";

    /** The only format so far: detached CMS SignedData with a SHA-256 digest. */
    public static final String ALGORITHM = "cms-detached-sha256";

    /** The suffix of a signature file: {@code plan.json} is signed by {@code plan.json.p7s} (DER). */
    public static final String FILE_SUFFIX = ".p7s";

    public DetachedSignature {
        Objects.requireNonNull(der, "der");
        if (der.length == 0) {
            throw new IllegalArgumentException("a signature cannot be empty");
        }
        der = der.clone();
    }

    /**
     * Decodes an {@value #HEADER} value. The bytes are not checked to be CMS here; the
     * {@link SignatureVerifier} does that.
     *
     * @throws IllegalArgumentException if the value is blank or not standard base64
     */
    public static DetachedSignature fromBase64(String headerValue) {
        Objects.requireNonNull(headerValue, "headerValue");
        return new DetachedSignature(Base64.getDecoder().decode(headerValue.strip()));
    }

    @Override
    public byte[] der() {
        return der.clone();
    }

    /** The value of the {@value #HEADER} header. */
    public String base64() {
        return Base64.getEncoder().encodeToString(der);
    }

    /** Both headers, ready to add to a request: {@value #HEADER} and {@value #ALGORITHM_HEADER}. */
    public Map<String, String> headers() {
        return Map.of(HEADER, base64(), ALGORITHM_HEADER, ALGORITHM);
    }

    /** The name of the signature file for a payload file: {@code name} + {@value #FILE_SUFFIX}. */
    public static String fileName(String payloadFileName) {
        return payloadFileName + FILE_SUFFIX;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DetachedSignature that && Arrays.equals(der, that.der);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(der);
    }

    @Override
    public String toString() {
        return "DetachedSignature[" + der.length + " bytes DER]";
    }
}
