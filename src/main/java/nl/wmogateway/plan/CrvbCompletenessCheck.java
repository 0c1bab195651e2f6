package nl.wmogateway.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.fhir.PlanBundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * Checks that an ondersteuningsplan covers the five steps the Centrale Raad van Beroep requires, and
 * the Samen-indiceren conditions, and names what is missing before the consulent has to send the
 * plan back. Each finding names the step (number and Dutch name) and points at the CarePlan element
 * where the missing part belongs, or at the resource that is incomplete.
 *
 * <p>Gemeenten differ in how strict they are, so the caller chooses the severity of a missing part:
 * {@link Finding.Severity#ERROR} rejects the request, {@link Finding.Severity#WARNING} lets it pass
 * with the findings reported back to the EHR.
 */
public final class CrvbCompletenessCheck {

    public static final String PRODUCTCATEGORIE_SYSTEM = "https://wmo-gateway.nl/fhir/CodeSystem/iwmo-productcategorie";

    public static final String ZRM_SCORE = "zrm-score";
    public static final String EIGEN_KRACHT = "eigen-kracht";
    public static final String SOCIAAL_NETWERK = "sociaal-netwerk";
    public static final String VOORLIGGEND_VELD = "voorliggend-veld";
    public static final String BETROKKENHEID = "betrokkenheid";
    public static final String REDEN_SAMEN_INDICEREN = "reden-samen-indiceren";

    private static final String STAP_1 = "CRvB stap 1 (hulpvraag)";
    private static final String STAP_2 = "CRvB stap 2 (beperkingen)";
    private static final String STAP_3 = "CRvB stap 3 (ondersteuningsbehoefte)";
    private static final String STAP_4 = "CRvB stap 4 (eigen mogelijkheden)";
    private static final String STAP_5 = "CRvB stap 5 (maatwerkvoorziening)";
    private static final String SAMEN_INDICEREN = "Samen indiceren";

    /** Every missing part, in step order; empty when the plan is complete. */
    public List<Finding> check(PlanBundle plan, Finding.Severity severityForMissing) {
        Check check = new Check(plan, severityForMissing);
        check.hulpvraag();
        check.beperkingen();
        check.ondersteuningsbehoefte();
        check.eigenMogelijkheden();
        check.maatwerkvoorziening();
        check.samenIndiceren();
        return List.copyOf(check.findings);
    }

    /** The leefgebied of a resource's categories, when one is coded from the leefgebied CodeSystem. */
    public static Optional<Leefgebied> leefgebied(List<CodeableConcept> categories) {
        return PlanBundle.code(categories, Leefgebied.SYSTEM).flatMap(Leefgebied::fromCode);
    }

    private static final class Check {
        private final PlanBundle plan;
        private final Finding.Severity severity;
        private final String carePlan;
        private final List<Finding> findings = new ArrayList<>();

        Check(PlanBundle plan, Finding.Severity severity) {
            this.plan = plan;
            this.severity = severity;
            this.carePlan = plan.pathOf(plan.carePlan());
        }

        void hulpvraag() {
            if (isBlank(plan.carePlan().getDescription())) {
                missing(
                        STAP_1
                                + ": CarePlan.description is empty: state the client's question for help in their own words",
                        carePlan + ".description");
            }
        }

        void beperkingen() {
            List<Condition> conditions = plan.conditions();
            List<Observation> zrm = plan.observations(ZRM_SCORE);
            if (conditions.isEmpty() && zrm.isEmpty()) {
                missing(
                        STAP_2 + ": no Condition (wmo-beperking) in CarePlan.addresses and no Observation with code "
                                + "plan-onderdeel#" + ZRM_SCORE + ": describe the client's limitations per leefgebied",
                        carePlan + ".addresses");
                return;
            }
            for (Condition condition : conditions) {
                String path = plan.pathOf(condition);
                if (leefgebied(condition.getCategory()).isEmpty()) {
                    missing(
                            STAP_2 + ": Condition has no category from " + Leefgebied.SYSTEM
                                    + ": say on which leefgebied the limitation lies",
                            path + ".category");
                }
                if (isBlank(condition.getCode().getText())) {
                    missing(
                            STAP_2 + ": Condition.code.text is empty: describe the limitation in words",
                            path + ".code");
                }
            }
            for (Observation score : zrm) {
                if (leefgebied(score.getCategory()).isEmpty()) {
                    missing(
                            STAP_2 + ": ZRM Observation has no category from " + Leefgebied.SYSTEM
                                    + ": say which leefgebied the score is for",
                            plan.pathOf(score) + ".category");
                }
            }
        }

        void ondersteuningsbehoefte() {
            List<Goal> goals = plan.goals();
            if (goals.isEmpty()) {
                missing(
                        STAP_3 + ": no Goal in CarePlan.goal: describe the support needed per leefgebied",
                        carePlan + ".goal");
                return;
            }
            for (Goal goal : goals) {
                String path = plan.pathOf(goal);
                if (isBlank(goal.getDescription().getText())) {
                    missing(
                            STAP_3 + ": Goal.description.text is empty: describe the support needed",
                            path + ".description");
                }
                if (leefgebied(goal.getCategory()).isEmpty()) {
                    missing(
                            STAP_3 + ": Goal has no category from " + Leefgebied.SYSTEM
                                    + ": say on which leefgebied support is needed",
                            path + ".category");
                }
            }
        }

        void eigenMogelijkheden() {
            statement(STAP_4, EIGEN_KRACHT, "describe what the client can do themselves (zelf- en samenredzaamheid)");
            statement(
                    STAP_4,
                    SOCIAAL_NETWERK,
                    "describe what partner, family and network can do (gebruikelijke hulp, mantelzorg)");
            statement(STAP_4, VOORLIGGEND_VELD, "describe which voorliggende voorzieningen were explored");
        }

        void maatwerkvoorziening() {
            List<ServiceRequest> requests = plan.serviceRequests();
            if (requests.isEmpty()) {
                missing(
                        STAP_5 + ": no ServiceRequest in CarePlan.activity.reference: name the maatwerkvoorziening "
                                + "requested",
                        carePlan + ".activity");
                return;
            }
            for (ServiceRequest request : requests) {
                String path = plan.pathOf(request);
                if (PlanBundle.code(List.of(request.getCode()), PRODUCTCATEGORIE_SYSTEM)
                        .isEmpty()) {
                    missing(
                            STAP_5 + ": ServiceRequest.code has no coding from " + PRODUCTCATEGORIE_SYSTEM
                                    + ": give the iWmo productcategorie",
                            path + ".code");
                }
                if (request.getReasonCode().stream().allMatch(reason -> isBlank(reason.getText()))) {
                    missing(
                            STAP_5 + ": ServiceRequest.reasonCode.text is empty: motivate why this provision is "
                                    + "needed once eigen mogelijkheden and voorliggend veld are taken into account",
                            path + ".reasonCode");
                }
            }
        }

        void samenIndiceren() {
            if (plan.practitionerRole().isEmpty()) {
                missing(
                        SAMEN_INDICEREN + ": Task.requester is not a PractitionerRole: name the involved care "
                                + "professional with their role and organisation",
                        plan.pathOf(plan.task()) + ".requester");
            }
            statement(
                    SAMEN_INDICEREN,
                    BETROKKENHEID,
                    "describe how and since when the professional is involved with the client");
            statement(
                    SAMEN_INDICEREN,
                    REDEN_SAMEN_INDICEREN,
                    "describe why the client cannot make the Wmo request alone or is relieved of it");
        }

        /** A plan-onderdeel Observation that must be present with a non-blank valueString. */
        private void statement(String step, String code, String what) {
            Optional<Observation> observation = plan.observations(code).stream()
                    .filter(o -> !isBlank(valueString(o)))
                    .findFirst()
                    .or(() -> plan.observation(code));
            if (observation.isEmpty()) {
                missing(
                        step + ": no Observation with code plan-onderdeel#" + code + ": " + what,
                        carePlan + ".supportingInfo");
            } else if (isBlank(valueString(observation.get()))) {
                missing(
                        step + ": Observation plan-onderdeel#" + code + " has no valueString: " + what,
                        plan.pathOf(observation.get()) + ".value");
            }
        }

        private void missing(String message, String expression) {
            findings.add(new Finding(severity, "required", message, expression));
        }
    }

    private static String valueString(Observation observation) {
        return observation.hasValueStringType()
                        && observation.getValueStringType().hasValue()
                ? observation.getValueStringType().getValue()
                : "";
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
