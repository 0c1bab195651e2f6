package nl.wmogateway.partner;

/**
 * Whether a partner signs what it sends (header {@code X-Wmo-Signature}, detached CMS; see
 * docs/signatures.md): {@code OFF} (default) ignores signatures, {@code OPTIONAL} checks one when
 * present, {@code REQUIRED} refuses a message without a valid signature by the partner's certificate.
 */
public enum SignaturePolicy {
    OFF,
    OPTIONAL,
    REQUIRED
}
