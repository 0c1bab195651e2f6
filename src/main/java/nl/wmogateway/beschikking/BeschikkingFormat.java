package nl.wmogateway.beschikking;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import nl.wmogateway.besluit.Beschikking;
import nl.wmogateway.fhir.Finding;

/**
 * One way a gemeente can send its {@link Beschikking} to the gateway. The partner configuration
 * names the format per gemeente by its {@link #type()}, the same way outbound plan renderings are
 * chosen; {@code beschikking-json} is the default.
 *
 * <p>Implementations are stateless and thread-safe. They check everything that can be checked
 * from the body alone and never throw on bad input: every problem comes back at once as a
 * {@link Finding}. What needs state (does the aanvraag exist, was it addressed to this gemeente,
 * does the beschikking answer every requested product, is it a duplicate) is the caller's job.
 *
 * <p>Finding codes, and what the gemeente-facing API makes of them:
 * <ul>
 *   <li>{@value #UNREADABLE} (iWmo retourcode "technisch afgekeurd"): the body is not a readable
 *       document of this format at all (syntax, encoding, a DTD, the wrong root). It is the only
 *       finding then; HTTP 400.</li>
 *   <li>{@value #SECURITY}: the body claims to come from another gemeente; HTTP 403.</li>
 *   <li>{@value #REQUIRED} and {@value #INVALID}: a value is missing or wrong; HTTP 422. In iWmo
 *       terms each is an XSD or XSLT-level rejection, retourcode 0001 (see {@link #retourcodes});
 *       the message names the iWmo rule where there is one (CD041: a productcode needs an omvang,
 *       CD080: an omvang needs a productcode).</li>
 *   <li>{@value #INFORMATIONAL}, only as a warning: part of the body the gateway leaves out; it
 *       does not stop the beschikking.</li>
 * </ul>
 * {@link Finding#expression()} is the exact location in the body the gemeente sent: a JSON
 * Pointer ({@code /producten/1/omvang/eenheid}, {@code ""} for the whole document) for JSON, an
 * XPath with local names ({@code /Bericht/Client/ToegewezenProducten/ToegewezenProduct[2]/Omvang})
 * for XML, and {@code header:<name>} for a value the caller passed from an HTTP header.
 */
public interface BeschikkingFormat {

    /** The body cannot be read as a document of this format; also the iWmo retourcode for that. */
    String UNREADABLE = "0001";
    /** A value that must be there is missing. */
    String REQUIRED = "required";
    /** A value is there but wrong: type, format, code list, or in conflict with another value. */
    String INVALID = "invalid";
    /** The body claims a sender other than the authenticated gemeente. */
    String SECURITY = "security";
    /** A warning about part of the body the gateway does not use. */
    String INFORMATIONAL = "informational";

    /** The stable name the partner configuration uses, e.g. {@code "beschikking-json"}. */
    String type();

    /** The media types (without parameters, lower case) this format accepts, e.g. {@code application/json}. */
    Set<String> contentTypes();

    /**
     * Reads a beschikking.
     *
     * @param body        the request body as received; size limits are enforced before this
     * @param gemeentecode the CBS code of the gemeente the caller authenticated (mutual TLS)
     * @return the beschikking when there is no {@link Finding#isError() error}, and every finding
     */
    Parsed parse(byte[] body, String gemeentecode);

    /**
     * Reads a beschikking whose number the gemeente sent outside the body, in the HTTP header
     * {@code Wmo-Beschikkingnummer}. Only formats whose body has no place for the number use it
     * (iWmo: a WMO301 or WMO319 has no BeschikkingNummer); the others ignore it, which is the default.
     *
     * @param beschikkingnummer the header's value as sent, empty when the header was absent
     */
    default Parsed parse(byte[] body, String gemeentecode, Optional<String> beschikkingnummer) {
        return parse(body, gemeentecode);
    }

    /**
     * The iWmo retourcodes for these findings, in order of first appearance and without duplicates:
     * a finding's own code when it is a retourcode (four characters, e.g. {@code 9359}), otherwise
     * {@code 0001}. Warnings do not count; no errors gives {@code ["0200"]} (geen opmerking).
     */
    static List<String> retourcodes(List<Finding> findings) {
        Set<String> codes = new LinkedHashSet<>();
        for (Finding finding : findings) {
            if (finding.isError()) {
                codes.add(finding.code().length() == 4 ? finding.code() : UNREADABLE);
            }
        }
        return codes.isEmpty() ? List.of("0200") : List.copyOf(codes);
    }

    /**
     * What a format made of a body.
     *
     * @param beschikking present exactly when there are no errors among the findings
     * @param findings    every problem found, errors and warnings, in document order where possible
     */
    record Parsed(Optional<Beschikking> beschikking, List<Finding> findings) {

        public Parsed {
            findings = List.copyOf(findings);
            if (beschikking.isPresent() && findings.stream().anyMatch(Finding::isError)) {
                throw new IllegalArgumentException("a beschikking with errors must not be returned");
            }
        }

        /** Whether the body was readable at all; false means HTTP 400. */
        public boolean readable() {
            return findings.stream().noneMatch(f -> UNREADABLE.equals(f.code()));
        }
    }
}
