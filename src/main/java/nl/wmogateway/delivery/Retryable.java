package nl.wmogateway.delivery;

/** Which HTTP answers of a partner mean "try again later" rather than "refused". */
final class Retryable {

    private Retryable() {}

    /** 408 Request Timeout, 425 Too Early, 429 Too Many Requests and every 5xx. */
    static boolean status(int status) {
        return status == 408 || status == 425 || status == 429 || status >= 500;
    }
}
