package nl.wmogateway.iwmo;

/**
 * The burgerservicenummer (BSN) check that iWmo constraint CS002 applies to every {@code Bsn}: nine
 * ASCII digits that pass the 11-proef. A message with a BSN that fails it is rejected as a whole
 * (retourcode 0001), so the gateway checks before it sends.
 */
public final class Bsn {

    private static final int LENGTH = 9;

    private Bsn() {}

    /**
     * Whether {@code candidate} is a well-formed BSN.
     *
     * <p>The 11-proef: {@code 9*d1 + 8*d2 + ... + 2*d8 - 1*d9} is a multiple of 11. No trimming
     * and no padding: an 8-digit number must be padded with a leading zero by whoever holds it,
     * because guessing here could address the wrong person. {@code 000000000} passes the
     * arithmetic but is refused: it is the classic placeholder of systems that did not know the
     * BSN, never a person's number.
     *
     * @param candidate the value to check; {@code null} is not valid
     * @return true if it has exactly nine ASCII digits, is not all zeros and passes the 11-proef
     */
    public static boolean isValid(String candidate) {
        if (candidate == null || candidate.length() != LENGTH) {
            return false;
        }
        int sum = 0;
        boolean allZero = true;
        for (int i = 0; i < LENGTH; i++) {
            char c = candidate.charAt(i);
            // Character.isDigit would accept Arabic-Indic or full-width digits, which the XSD's [0-9] does not
            if (c < '0' || c > '9') {
                return false;
            }
            int digit = c - '0';
            allZero &= digit == 0;
            int weight = i == LENGTH - 1 ? -1 : LENGTH - i;
            sum += weight * digit;
        }
        return !allZero && sum % 11 == 0;
    }
}
