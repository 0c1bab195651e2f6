package nl.wmogateway.inbound;

import java.security.SecureRandom;

/**
 * What a caller hears of a failure inside the gateway: that it happened, and a reference to quote.
 * The log has the rest (the exception, the request) under the same reference; no exception text or
 * class name ever reaches a partner.
 */
public final class InternalErrors {

    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private InternalErrors() {}

    /** A new reference: short, unique enough to find one log line among a day's. */
    public static String newReference() {
        char[] id = new char[12];
        for (int i = 0; i < id.length; i++) {
            id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(id);
    }

    /** The words the caller gets. */
    public static String message(String reference) {
        return "internal error, reference " + reference;
    }
}
