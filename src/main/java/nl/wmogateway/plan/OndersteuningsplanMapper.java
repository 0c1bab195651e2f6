package nl.wmogateway.plan;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import nl.wmogateway.fhir.PlanBundle;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Timing;

/**
 * Builds the canonical {@link Ondersteuningsplan} from a {@link PlanBundle}, reading only the
 * resources the plan references (so nothing else in the Bundle can leak into a rendering).
 *
 * <p>Precondition: the Bundle passed profile validation and {@link CrvbCompletenessCheck}. Elements the
 * profiles require (BSN, birthDate, AGB code, productcategorie, requested start date, ...) are taken
 * as present; when one is absent the mapper throws {@link IllegalArgumentException} naming its
 * FHIRPath. Parts that a gemeente lets pass with a WARNING become empty strings (free text) or are
 * left out (a limitation or goal without leefgebied), because the canonical model has no place for
 * them.
 *
 * <p>Plain Java rather than a template: this mapping is core domain logic, the same for every gemeente;
 * per-gemeente variation lives in the renderings.
 */
public final class OndersteuningsplanMapper {

    /** ReferentieAanbieder is at most 36 characters and gets "-" plus a number up to 99 appended. */
    public static final int MAX_PLAN_ID_LENGTH = 33;

    public static final String EVALUATIEDATUM_URL = "https://wmo-gateway.nl/fhir/StructureDefinition/evaluatiedatum";
    public static final String OWN_NAME_URL = "http://hl7.org/fhir/StructureDefinition/humanname-own-name";
    public static final String OWN_PREFIX_URL = "http://hl7.org/fhir/StructureDefinition/humanname-own-prefix";
    public static final String NAME_QUALIFIER_URL = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-qualifier";
    public static final String PRODUCTCODE_SYSTEM = "https://wmo-gateway.nl/fhir/NamingSystem/gemeente-productcode";
    public static final String EENHEID_SYSTEM = "https://wmo-gateway.nl/fhir/CodeSystem/iwmo-eenheid";

    private static final int MAX_VOORLETTERS = 6;

    /**
     * Maps the plan.
     *
     * @param plan         the plan, structurally sound, validated and CRvB-checked
     * @param planId       the gateway's id of the request, at most {@value #MAX_PLAN_ID_LENGTH} characters:
     *                     the n-th maatwerkvoorziening (0-based, in CarePlan.activity order) gets
     *                     ReferentieAanbieder {@code planId + "-" + (n + 1)}, which iWmo limits to 36
     * @param ontvangen    when the gateway stored the request
     * @param gemeenteNaam the addressed gemeente's name, from the gateway's configuration
     * @param toestemming  the proof of consent from the consent gate
     */
    public Ondersteuningsplan map(
            PlanBundle plan, String planId, Instant ontvangen, String gemeenteNaam, Toestemming toestemming) {
        if (planId.isBlank() || planId.length() > MAX_PLAN_ID_LENGTH) {
            throw new IllegalArgumentException("planId must be 1.." + MAX_PLAN_ID_LENGTH + " characters: " + planId);
        }
        return new Ondersteuningsplan(
                planId,
                plan.bundleIdentifier().orElseThrow(() -> missing("Bundle.identifier")),
                ontvangen,
                new Gemeente(
                        plan.gemeentecode().orElseThrow(() -> missing(plan.pathOf(plan.task()) + ".owner")),
                        gemeenteNaam),
                zorgorganisatie(plan),
                professional(plan),
                client(plan),
                text(plan.carePlan().getDescription()),
                beperkingen(plan),
                doelen(plan),
                eigenMogelijkheden(plan),
                maatwerkvoorzieningen(plan, planId),
                new SamenIndiceren(
                        statement(plan, CrvbCompletenessCheck.BETROKKENHEID),
                        statement(plan, CrvbCompletenessCheck.REDEN_SAMEN_INDICEREN)),
                toestemming);
    }

    private static Zorgorganisatie zorgorganisatie(PlanBundle plan) {
        String agb = plan.zorgorganisatieAgb().orElseThrow(() -> missing(plan.pathOf(plan.task()) + ".requester"));
        Optional<Organization> organisation = plan.zorgorganisatie();
        Optional<String> ura =
                organisation.flatMap(o -> PlanBundle.identifier(o.getIdentifier(), PlanBundle.URA_SYSTEM));
        String naam = organisation
                .map(Organization::getName)
                .or(() -> plan.practitionerRole().map(r -> r.getOrganization().getDisplay()))
                .map(OndersteuningsplanMapper::text)
                .orElse("");
        return new Zorgorganisatie(agb, ura, naam);
    }

    private static Professional professional(PlanBundle plan) {
        Optional<Practitioner> practitioner = plan.practitioner();
        String naam = practitioner
                .flatMap(p -> p.getName().stream().findFirst())
                .map(OndersteuningsplanMapper::fullName)
                .or(() -> plan.practitionerRole()
                        .map(r -> text(r.getPractitioner().getDisplay())))
                .orElse(text(plan.task().getRequester().getDisplay()));
        Optional<String> rol = plan.practitionerRole()
                .flatMap(r -> r.getCode().stream()
                        .map(OndersteuningsplanMapper::words)
                        .flatMap(Optional::stream)
                        .findFirst());
        return new Professional(
                naam,
                rol,
                practitioner.flatMap(p -> PlanBundle.identifier(p.getIdentifier(), PlanBundle.BIG_SYSTEM)),
                practitioner.flatMap(p -> PlanBundle.identifier(p.getIdentifier(), PlanBundle.AGB_SYSTEM)),
                practitioner.flatMap(p -> PlanBundle.identifier(p.getIdentifier(), PlanBundle.UZI_SYSTEM)));
    }

    private static String fullName(HumanName name) {
        if (name.hasText()) {
            return name.getText();
        }
        return Stream.concat(name.getGiven().stream().map(StringType::getValue), Stream.of(name.getFamily()))
                .filter(s -> s != null && !s.isBlank())
                .collect(Collectors.joining(" "));
    }

    // ---------------------------------------------------------------- client

    private static Client client(PlanBundle plan) {
        Patient patient = plan.patient();
        String path = plan.pathOf(patient);
        String bsn = plan.bsn().orElseThrow(() -> missing(path + ".identifier"));
        if (!patient.hasBirthDate()) {
            throw missing(path + ".birthDate");
        }
        LocalDate geboortedatum = localDate(patient.getBirthDateElement());
        HumanName name = patient.getName().stream()
                .filter(n -> n.getUse() == HumanName.NameUse.OFFICIAL)
                .findFirst()
                .or(() -> patient.getName().stream().findFirst())
                .orElseThrow(() -> missing(path + ".name"));
        String achternaam = ownName(name).orElseThrow(() -> missing(path + ".name.family"));
        Optional<String> voorvoegsel = extensionString(name.getFamilyElement(), OWN_PREFIX_URL);
        List<String> voornamen = new ArrayList<>();
        StringBuilder initials = new StringBuilder();
        for (StringType given : name.getGiven()) {
            if (given.getValue() == null || given.getValue().isBlank()) {
                continue;
            }
            Optional<String> qualifier = extensionString(given, NAME_QUALIFIER_URL);
            if (qualifier.filter("IN"::equals).isPresent()) {
                initials.append(given.getValue());
            } else if (qualifier.filter("CL"::equals).isEmpty()) {
                voornamen.add(given.getValue().trim()); // a roepnaam (CL) is not one of the official voornamen
            }
        }
        if (initials.isEmpty()) {
            voornamen.forEach(v -> initials.append(v.charAt(0)));
        }
        // iWmo Voorletters are letters of the Latin script (LDT_Voorletters [a-zA-ZÀ-ỳ]); a given name in
        // another script gives no voorletter rather than a WMO315 the gemeente would refuse
        String voorletters = initials.codePoints()
                .filter(Character::isLetter)
                .map(Character::toUpperCase)
                .filter(OndersteuningsplanMapper::isIwmoVoorletter)
                .limit(MAX_VOORLETTERS)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return new Client(
                bsn,
                geboortedatum,
                geslacht(patient.getGender()),
                achternaam,
                voorvoegsel,
                voornamen.isEmpty() ? Optional.empty() : Optional.of(String.join(" ", voornamen)),
                voorletters.isEmpty() ? Optional.empty() : Optional.of(voorletters));
    }

    private static boolean isIwmoVoorletter(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0x00C0 && c <= 0x1EF3);
    }

    private static Optional<String> ownName(HumanName name) {
        return extensionString(name.getFamilyElement(), OWN_NAME_URL)
                .or(() ->
                        Optional.ofNullable(name.getFamily()).map(String::trim).filter(s -> !s.isEmpty()));
    }

    private static Client.Geslacht geslacht(Enumerations.AdministrativeGender gender) {
        if (gender == Enumerations.AdministrativeGender.MALE) {
            return Client.Geslacht.MAN;
        }
        if (gender == Enumerations.AdministrativeGender.FEMALE) {
            return Client.Geslacht.VROUW;
        }
        return Client.Geslacht.ONBEKEND;
    }

    // ---------------------------------------------------------------- CRvB steps 2-4

    private static List<Beperking> beperkingen(PlanBundle plan) {
        List<Observation> scores = plan.observations(CrvbCompletenessCheck.ZRM_SCORE);
        List<Beperking> beperkingen = new ArrayList<>();
        List<Leefgebied> described = new ArrayList<>();
        for (Condition condition : plan.conditions()) {
            Optional<Leefgebied> leefgebied = CrvbCompletenessCheck.leefgebied(condition.getCategory());
            if (leefgebied.isEmpty()) {
                continue;
            }
            Optional<Integer> score = scores.stream()
                    .filter(o ->
                            CrvbCompletenessCheck.leefgebied(o.getCategory()).equals(leefgebied))
                    .findFirst()
                    .flatMap(OndersteuningsplanMapper::zrmScore);
            beperkingen.add(
                    new Beperking(leefgebied.get(), words(condition.getCode()).orElse(""), score));
            described.add(leefgebied.get());
        }
        // A ZRM score on a leefgebied that no Condition describes is a limitation in its own right.
        for (Observation score : scores) {
            Optional<Leefgebied> leefgebied = CrvbCompletenessCheck.leefgebied(score.getCategory());
            if (leefgebied.isEmpty() || described.contains(leefgebied.get())) {
                continue;
            }
            Optional<Integer> value = zrmScore(score);
            String omschrijving = score.getNote().stream()
                    .map(n -> text(n.getText()))
                    .filter(s -> !s.isEmpty())
                    .findFirst()
                    .orElse(value.map(v -> "Zelfredzaamheidsmatrix score " + v).orElse(""));
            beperkingen.add(new Beperking(leefgebied.get(), omschrijving, value));
            described.add(leefgebied.get());
        }
        return beperkingen;
    }

    private static Optional<Integer> zrmScore(Observation observation) {
        return observation.hasValueIntegerType()
                        && observation.getValueIntegerType().hasValue()
                ? Optional.of(observation.getValueIntegerType().getValue())
                : Optional.empty();
    }

    private static List<Doel> doelen(PlanBundle plan) {
        List<Doel> doelen = new ArrayList<>();
        for (Goal goal : plan.goals()) {
            CrvbCompletenessCheck.leefgebied(goal.getCategory())
                    .ifPresent(leefgebied -> doelen.add(new Doel(
                            leefgebied,
                            text(goal.getDescription().getText()),
                            goal.getTarget().stream()
                                    .filter(Goal.GoalTargetComponent::hasDueDateType)
                                    .map(t -> localDate(t.getDueDateType()))
                                    .findFirst())));
        }
        return doelen;
    }

    private static EigenMogelijkheden eigenMogelijkheden(PlanBundle plan) {
        // Only the relationship leaves the gateway: the gemeente needs to know that someone cares, not who.
        List<EigenMogelijkheden.Mantelzorger> mantelzorgers = plan.relatedPersons().stream()
                .map(OndersteuningsplanMapper::relatie)
                .flatMap(Optional::stream)
                .map(EigenMogelijkheden.Mantelzorger::new)
                .toList();
        return new EigenMogelijkheden(
                statement(plan, CrvbCompletenessCheck.EIGEN_KRACHT),
                statement(plan, CrvbCompletenessCheck.SOCIAAL_NETWERK),
                statement(plan, CrvbCompletenessCheck.VOORLIGGEND_VELD),
                mantelzorgers);
    }

    private static Optional<String> relatie(RelatedPerson person) {
        return person.getRelationship().stream()
                .map(OndersteuningsplanMapper::words)
                .flatMap(Optional::stream)
                .findFirst();
    }

    private static String statement(PlanBundle plan, String planOnderdeel) {
        return plan.observations(planOnderdeel).stream()
                .filter(o -> o.hasValueStringType() && o.getValueStringType().hasValue())
                .map(o -> o.getValueStringType().getValue().trim())
                .filter(s -> !s.isEmpty())
                .findFirst()
                .orElse("");
    }

    // ---------------------------------------------------------------- CRvB step 5

    private static List<AangevraagdProduct> maatwerkvoorzieningen(PlanBundle plan, String planId) {
        List<ServiceRequest> requests = plan.serviceRequests();
        List<AangevraagdProduct> producten = new ArrayList<>();
        for (int n = 0; n < requests.size(); n++) {
            String referentie = planId + "-" + (n + 1);
            if (referentie.length() > MAX_PLAN_ID_LENGTH + 3) {
                throw new IllegalArgumentException(
                        "too many maatwerkvoorzieningen for ReferentieAanbieder: " + referentie);
            }
            producten.add(product(plan, requests.get(n), referentie));
        }
        return producten;
    }

    private static AangevraagdProduct product(PlanBundle plan, ServiceRequest request, String referentie) {
        String path = plan.pathOf(request);
        String categorie = PlanBundle.code(List.of(request.getCode()), CrvbCompletenessCheck.PRODUCTCATEGORIE_SYSTEM)
                .orElseThrow(() -> missing(path + ".code"));
        Optional<String> code = PlanBundle.code(List.of(request.getCode()), PRODUCTCODE_SYSTEM);
        String omschrijving = words(request.getCode()).orElse("");
        Timing timing = request.hasOccurrenceTiming() ? request.getOccurrenceTiming() : new Timing();
        Timing.TimingRepeatComponent repeat = timing.getRepeat();
        if (!repeat.hasBoundsPeriod() || !repeat.getBoundsPeriod().hasStart()) {
            throw missing(path + ".occurrence.repeat.bounds.start");
        }
        LocalDate ingangsdatum = localDate(repeat.getBoundsPeriod().getStartElement());
        Optional<LocalDate> einddatum = repeat.getBoundsPeriod().hasEnd()
                ? Optional.of(localDate(repeat.getBoundsPeriod().getEndElement()))
                : Optional.empty();
        // The profile puts the evaluation date on the ServiceRequest; on the bounds it means the same.
        Optional<LocalDate> evaluatiedatum = Stream.of(
                        request.getExtensionByUrl(EVALUATIEDATUM_URL),
                        repeat.getBoundsPeriod().getExtensionByUrl(EVALUATIEDATUM_URL))
                .filter(e -> e != null && e.getValue() instanceof DateType)
                .map(e -> localDate((DateType) e.getValue()))
                .findFirst();
        String motivering = request.getReasonCode().stream()
                .map(c -> text(c.getText()))
                .filter(s -> !s.isEmpty())
                .findFirst()
                .orElse("");
        return new AangevraagdProduct(
                referentie,
                categorie,
                code,
                omschrijving,
                omvang(request, path),
                ingangsdatum,
                einddatum,
                evaluatiedatum,
                motivering);
    }

    private static Optional<Omvang> omvang(ServiceRequest request, String path) {
        if (!request.hasQuantityQuantity()) {
            return Optional.empty();
        }
        Quantity quantity = request.getQuantityQuantity();
        if (!quantity.hasValue() || !EENHEID_SYSTEM.equals(quantity.getSystem()) || !quantity.hasCode()) {
            throw missing(path + ".quantity");
        }
        int volume;
        try {
            volume = quantity.getValue().stripTrailingZeros().intValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("iWmo volume must be a whole number: " + path + ".quantity.value", e);
        }
        Timing.TimingRepeatComponent repeat = request.hasOccurrenceTiming()
                ? request.getOccurrenceTiming().getRepeat()
                : new Timing.TimingRepeatComponent();
        if (repeat.hasPeriod() && repeat.getPeriod().compareTo(BigDecimal.ONE) != 0) {
            throw new IllegalArgumentException("iWmo frequentie needs period 1: " + path + ".occurrence.repeat.period");
        }
        return Optional.of(new Omvang(volume, quantity.getCode(), frequentie(repeat, path)));
    }

    private static String frequentie(Timing.TimingRepeatComponent repeat, String path) {
        if (!repeat.hasPeriodUnit()) {
            return Omvang.FREQUENTIE_TOTAAL;
        }
        return switch (repeat.getPeriodUnit()) {
            case D -> Omvang.FREQUENTIE_PER_DAG;
            case WK -> Omvang.FREQUENTIE_PER_WEEK;
            case MO -> Omvang.FREQUENTIE_PER_MAAND;
            default ->
                throw new IllegalArgumentException("iWmo frequentie is per d, wk or mo, not "
                        + repeat.getPeriodUnit().toCode() + ": " + path + ".occurrence.repeat.periodUnit");
        };
    }

    // ---------------------------------------------------------------- small helpers

    /** The concept in words: its text, else the display of its first coding that has one. */
    private static Optional<String> words(CodeableConcept concept) {
        if (concept.hasText() && !concept.getText().isBlank()) {
            return Optional.of(concept.getText().trim());
        }
        return concept.getCoding().stream()
                .filter(Coding::hasDisplay)
                .map(Coding::getDisplay)
                .findFirst();
    }

    private static Optional<String> extensionString(Element element, String url) {
        Extension extension = element.getExtensionByUrl(url);
        return extension != null
                        && extension.getValue() != null
                        && extension.getValue().isPrimitive()
                        && !extension.getValue().primitiveValue().isBlank()
                ? Optional.of(extension.getValue().primitiveValue().trim())
                : Optional.empty();
    }

    /** The calendar day as written, whatever the JVM's zone. */
    private static LocalDate localDate(BaseDateTimeType value) {
        if (value.getPrecision().compareTo(TemporalPrecisionEnum.DAY) < 0) {
            throw new IllegalArgumentException("a full date is needed, not " + value.getValueAsString());
        }
        return LocalDate.of(value.getYear(), value.getMonth() + 1, value.getDay());
    }

    private static String text(String s) {
        return s == null ? "" : s.trim();
    }

    private static IllegalArgumentException missing(String expression) {
        return new IllegalArgumentException(
                "the plan lacks " + expression + " (validate the Bundle against the profiles before mapping)");
    }
}
