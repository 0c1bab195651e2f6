package nl.wmogateway.fhir;

/**
 * One problem found in a submitted request, as the EHR will see it in the OperationOutcome.
 *
 * @param severity   how bad it is; {@link Severity#ERROR} rejects the request
 * @param code       the FHIR issue-type code (e.g. "required", "invalid", "business-rule", "security")
 * @param message    what is wrong and what to do about it, in words an EHR developer understands
 * @param expression the FHIRPath location of the problem, e.g. {@code Bundle.entry[3].resource.description}
 */
public record Finding(Severity severity, String code, String message, String expression) {

    public enum Severity {
        ERROR,
        WARNING,
        INFORMATION
    }

    public static Finding error(String code, String message, String expression) {
        return new Finding(Severity.ERROR, code, message, expression);
    }

    public static Finding warning(String code, String message, String expression) {
        return new Finding(Severity.WARNING, code, message, expression);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }
}
