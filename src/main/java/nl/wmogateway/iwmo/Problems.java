package nl.wmogateway.iwmo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Collects every problem with an iWmo message's input, each starting with its iWmo path, so the
 * caller can fix them in one go and gets them in one {@link IllegalArgumentException}.
 */
final class Problems {

    private static final Pattern GEMEENTECODE = Pattern.compile("[0-9]{4}");
    private static final Pattern AGB_CODE = Pattern.compile("[0-9]{8}");
    private static final int MAX_IDENTIFICATIE = 12;

    private final List<String> list = new ArrayList<>();

    void add(String problem) {
        list.add(problem);
    }

    void addAll(Collection<String> problems) {
        list.addAll(problems);
    }

    List<String> list() {
        return list;
    }

    /** Throws one exception listing every problem, if there is any. */
    void failIfAny(String message) {
        if (!list.isEmpty()) {
            throw new IllegalArgumentException(message + ": " + String.join("; ", list));
        }
    }

    /**
     * The header of a message the gemeente sends (WMO301, WMO319) or of the retour on it: Afzender
     * a gemeentecode, Ontvanger an AGB code, an Identificatie of 1 to 12 characters, a Dagtekening.
     */
    void gemeenteHeader(IwmoHeader header) {
        if (header == null) {
            add("Header is missing");
            return;
        }
        matches("Header/Afzender (gemeentecode)", header.afzender(), GEMEENTECODE, "4 digits");
        matches("Header/Ontvanger (AGB code)", header.ontvanger(), AGB_CODE, "8 digits");
        line("Header/BerichtIdentificatie/Identificatie", header.identificatie(), MAX_IDENTIFICATIE);
        required("Header/BerichtIdentificatie/Dagtekening", header.dagtekening());
    }

    void matches(String path, String value, Pattern pattern, String expected) {
        if (value == null || !pattern.matcher(value).matches()) {
            add(path + " '" + value + "' must be " + expected);
        }
    }

    void required(String path, Object value) {
        if (value == null) {
            add(path + " is missing");
        }
    }

    void range(String path, long value, long min, long max) {
        if (value < min || value > max) {
            add(path + " " + value + " must be between " + min + " and " + max);
        }
    }

    void code(String path, String value, Collection<String> codes, String list) {
        if (value == null || !codes.contains(value)) {
            add(path + " '" + value + "' is not an iWmo " + list + ": expected one of " + codes);
        }
    }

    /**
     * Required, not blank, at most {@code max} characters, on one line (the XSD patterns
     * {@code .*[^\s].*} of names, codes and references do not match CR or LF), and only characters
     * XML 1.0 can carry.
     */
    void line(String path, String value, int max) {
        text(path, value, max);
        if (value != null && !value.isBlank() && (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0)) {
            add(path + " contains a line break");
        }
    }

    /** Like {@link #line} but line breaks are allowed, as in Commentaar. */
    void text(String path, String value, int max) {
        if (value == null || value.isBlank()) {
            add(path + " is missing or blank");
            return;
        }
        int length = value.codePointCount(0, value.length());
        if (length > max) {
            add(path + " is " + length + " characters, at most " + max + " allowed");
        }
        value.codePoints()
                .filter(c -> !isXmlChar(c))
                .findFirst()
                .ifPresent(c -> add(path + String.format(" contains U+%04X, which XML cannot carry", c)));
    }

    private static boolean isXmlChar(int c) {
        return c == 0x9
                || c == 0xA
                || c == 0xD
                || (c >= 0x20 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD)
                || (c >= 0x10000 && c <= 0x10FFFF);
    }
}
