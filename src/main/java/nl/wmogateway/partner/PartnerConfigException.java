package nl.wmogateway.partner;

/** The integrator's partner configuration has a mistake; the message says which and where. */
public class PartnerConfigException extends RuntimeException {
    public PartnerConfigException(String message) {
        super(message);
    }

    public PartnerConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
