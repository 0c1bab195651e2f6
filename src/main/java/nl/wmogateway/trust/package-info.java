/**
 * Trust: who the gateway is and whom it believes, for TLS and for signatures alike.
 *
 * <ul>
 *   <li><b>Keys and stores.</b> {@link nl.wmogateway.trust.Stores} is the one place that opens a
 *       PKCS#12 keystore, a PKCS#11 token (SunPKCS11) or a truststore and picks the gateway's key
 *       in it ({@link nl.wmogateway.trust.KeyMaterial}); the HTTPS server, outbound TLS
 *       ({@link nl.wmogateway.trust.OutboundTls}, {@link nl.wmogateway.trust.TlsContexts}) and
 *       signing ({@link nl.wmogateway.trust.PayloadSigner}) all use it.</li>
 *   <li><b>Certificates.</b> {@link nl.wmogateway.trust.CertificateValidator} decides whether to
 *       trust a partner's certificate, as a value ({@link nl.wmogateway.trust.Validation}): a PKIX
 *       chain to the truststore, the validity period, key usage and extended key usage, and
 *       revocation by CRL ({@link nl.wmogateway.trust.CrlStore}, hard- or soft-fail).
 *       {@link nl.wmogateway.trust.GatewayTrustManager} puts it into every TLS handshake and audits
 *       refusals; {@link nl.wmogateway.trust.TomcatTrustCustomizer} hands it to Tomcat;
 *       {@link nl.wmogateway.trust.CertificateExpiry} reports how long the gateway's own certificate
 *       and the trusted CAs remain valid. Operators: {@code docs/certificates.md}.</li>
 *   <li><b>Signatures.</b> Detached CMS signatures (RFC 5652 SignedData) over the bytes the gateway
 *       sends and receives: {@link nl.wmogateway.trust.PayloadSigner} signs with the gateway's key,
 *       {@link nl.wmogateway.trust.DetachedSignature} carries the result ({@code X-Wmo-Signature}
 *       header, {@code .p7s} file), and {@link nl.wmogateway.trust.SignatureVerifier} checks a
 *       partner's signature, answering with a {@link nl.wmogateway.trust.Verification}, never an
 *       exception. Why CMS rather than JWS, and how to verify with OpenSSL:
 *       {@code docs/signatures.md}.</li>
 * </ul>
 */
package nl.wmogateway.trust;
