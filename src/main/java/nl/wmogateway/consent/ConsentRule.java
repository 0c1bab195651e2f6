package nl.wmogateway.consent;

import java.util.List;
import nl.wmogateway.fhir.Finding;

/**
 * One condition a Consent must meet before the plan may be shared with a gemeente. Rules are small
 * and independent so that each gemeente's set can be composed by id (see {@link ConsentGate}).
 */
interface ConsentRule {

    /** Stable id used in configuration, e.g. {@code "period"}. */
    String id();

    /**
     * Why the candidate Consent in the context does not meet this rule: ERROR findings located in the
     * Bundle; empty when it does.
     */
    List<Finding> check(ConsentContext ctx);
}
