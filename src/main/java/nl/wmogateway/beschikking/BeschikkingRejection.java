package nl.wmogateway.beschikking;

import java.util.List;
import nl.wmogateway.fhir.Finding;

/**
 * A beschikking the gateway cannot process: the gemeente gets the HTTP status and, per problem, an
 * iWmo-style retourcode with its location.
 */
class BeschikkingRejection extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final transient List<Finding> findings;

    public BeschikkingRejection(int httpStatus, List<Finding> findings) {
        super("HTTP " + httpStatus + ": " + findings.size() + " finding(s) "
                + findings.stream().map(Finding::code).distinct().toList());
        this.httpStatus = httpStatus;
        this.findings = List.copyOf(findings);
    }

    public static BeschikkingRejection of(int status, String code, String message, String location) {
        return new BeschikkingRejection(status, List.of(Finding.error(code, message, location)));
    }

    public int httpStatus() {
        return httpStatus;
    }

    public List<Finding> findings() {
        return findings;
    }
}
