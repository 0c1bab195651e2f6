package nl.wmogateway.intake;

import java.util.List;
import nl.wmogateway.fhir.Finding;

/**
 * A submission is refused. Carries every finding, so the EHR can fix all problems in one go, and
 * the HTTP status it is answered with: 400 unreadable, 403 not allowed, 422 not acceptable; before
 * parsing also 408, 413 and 415, and 429 or 503 when the gateway is busy (docs/limits.md).
 */
class IntakeRejection extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final transient List<Finding> findings;

    public IntakeRejection(int httpStatus, List<Finding> findings) {
        super(summary(httpStatus, findings));
        this.httpStatus = httpStatus;
        this.findings = List.copyOf(findings);
    }

    public static IntakeRejection unprocessable(List<Finding> findings) {
        return new IntakeRejection(422, findings);
    }

    public static IntakeRejection forbidden(Finding finding) {
        return new IntakeRejection(403, List.of(finding));
    }

    public int httpStatus() {
        return httpStatus;
    }

    public List<Finding> findings() {
        return findings;
    }

    // Deliberately only counts and codes: messages can quote submitted values, and this text may be logged.
    private static String summary(int status, List<Finding> findings) {
        return "HTTP " + status + ": " + findings.size() + " finding(s) "
                + findings.stream().map(Finding::code).distinct().toList();
    }
}
