/**
 * Whether to trust a partner's certificate, in both directions: client certificates of EHRs and
 * gemeenten arriving at the gateway's HTTPS port, and server certificates of the endpoints the
 * gateway delivers to.
 *
 * <p>{@link nl.wmogateway.transport.trust.CertificateValidator} decides, as a value
 * ({@link nl.wmogateway.transport.trust.Validation}): a PKIX chain to the truststore, the validity
 * period, key usage and extended key usage, and revocation by CRL
 * ({@link nl.wmogateway.transport.trust.CrlStore}, hard- or soft-fail).
 * {@link nl.wmogateway.transport.trust.GatewayTrustManager} puts it into every TLS handshake and
 * audits refusals; {@link nl.wmogateway.transport.trust.TomcatTrustCustomizer} hands it to Tomcat.
 * {@link nl.wmogateway.transport.trust.CertificateExpiry} reports how long the gateway's own
 * certificate and the trusted CAs remain valid. Operators: see {@code docs/certificates.md}.
 */
package nl.wmogateway.transport.trust;
