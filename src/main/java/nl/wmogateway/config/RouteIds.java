package nl.wmogateway.config;

import java.util.List;

/**
 * The ids in {@code routes/*.camel.yaml} that Java code and tests refer to: routes, their
 * endpoints, the shared error policy and the nodes of the intake route. An integrator may add
 * steps to a route file; renaming one of these ids breaks the gateway, and {@code RoutesTest} says
 * which.
 */
public final class RouteIds {

    /** The route configuration every route uses: errors go back to the caller, nothing is retried in the route. */
    public static final String ERROR_POLICY = "gateway-errors";

    /** routes/intake.camel.yaml: an EHR's Bundle becomes a stored request. */
    public static final String INTAKE = "intake";

    public static final String INTAKE_ENDPOINT = "direct:intake";

    /** The steps of the intake route, in order. */
    public static final List<String> INTAKE_STEPS = List.of(
            "identifySender",
            "findExisting",
            "answerDuplicate",
            "validate",
            "resolvePlan",
            "authorise",
            "checkGemeente",
            "checkOpenVerzoek",
            "checkCrvb",
            "checkConsent",
            "toOndersteuningsplan",
            "render",
            "store");

    /** routes/beschikking.camel.yaml: a gemeente's beschikking is parsed, correlated and checked. */
    public static final String BESCHIKKING = "beschikking";

    public static final String BESCHIKKING_ENDPOINT = "direct:beschikking";

    /** routes/beschikking.camel.yaml: what a beschikking changes, stored in one transaction. */
    public static final String RECORD_BESCHIKKING = "recordBeschikking";

    /** routes/delivery.camel.yaml: one route per gemeente delivers its plans. */
    public static final String PLAN_TEMPLATE = "deliver-to-gemeente";

    /** routes/messages.camel.yaml: one route per partner delivers its other messages. */
    public static final String MESSAGE_TEMPLATE = "deliver-message";

    private RouteIds() {}

    /** The id of the route made from {@code template} for one partner, e.g. {@code deliver-to-gemeente-0153}. */
    public static String routeId(String template, String partner) {
        return template + "-" + partner;
    }
}
