/**
 * Detached CMS signatures (RFC 5652 SignedData) over the bytes the gateway sends and receives:
 * ondersteuningsplan renderings (JSON) and iWmo messages (XML) alike.
 *
 * <ul>
 *   <li>{@link nl.wmogateway.transport.signing.PayloadSigner} signs outbound payloads with the
 *       gateway's organisation key and certificate;</li>
 *   <li>{@link nl.wmogateway.transport.signing.DetachedSignature} is the result, with the transport
 *       convention ({@code X-Wmo-Signature} header, {@code .p7s} file);</li>
 *   <li>{@link nl.wmogateway.transport.signing.SignatureVerifier} checks a partner's signature and
 *       answers with a {@link nl.wmogateway.transport.signing.Verification}, never an exception.</li>
 * </ul>
 *
 * <p>Why CMS rather than JWS, and how a receiver verifies with OpenSSL: {@code docs/signatures.md}.
 */
package nl.wmogateway.transport.signing;
