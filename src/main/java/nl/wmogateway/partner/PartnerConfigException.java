package nl.wmogateway.partner;

/** The integrator's partner configuration has a mistake; the message says which and where. */
class PartnerConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PartnerConfigException(String message) {
        super(message);
    }

    public PartnerConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
