package nl.wmogateway.fhir;

import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.StringType;

/** Turns findings into the OperationOutcome an EHR receives. */
public final class Outcomes {

    private Outcomes() {}

    public static OperationOutcome of(List<Finding> findings) {
        OperationOutcome oo = new OperationOutcome();
        for (Finding f : findings) {
            OperationOutcome.OperationOutcomeIssueComponent issue = oo.addIssue();
            issue.setSeverity(
                    switch (f.severity()) {
                        case ERROR -> OperationOutcome.IssueSeverity.ERROR;
                        case WARNING -> OperationOutcome.IssueSeverity.WARNING;
                        case INFORMATION -> OperationOutcome.IssueSeverity.INFORMATION;
                    });
            issue.setCode(issueType(f.code()));
            issue.setDiagnostics(f.message());
            if (f.expression() != null && !f.expression().isBlank()) {
                issue.setExpression(List.of(new StringType(f.expression())));
            }
        }
        return oo;
    }

    private static OperationOutcome.IssueType issueType(String code) {
        try {
            return OperationOutcome.IssueType.fromCode(code);
        } catch (Exception e) {
            return OperationOutcome.IssueType.PROCESSING;
        }
    }
}
