package nl.wmogateway.iwmo;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.stream.XMLStreamException;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.plan.AangevraagdProduct;
import nl.wmogateway.plan.Client;
import nl.wmogateway.plan.Codelijsten;
import nl.wmogateway.plan.Omvang;
import nl.wmogateway.plan.Ondersteuningsplan;
import nl.wmogateway.plan.OpenEndedPolicy;
import nl.wmogateway.plan.PlanRendering;
import nl.wmogateway.plan.RenderContext;

/**
 * The plan's maatwerkvoorzieningen as an iWmo 3.2 WMO315 "verzoek om toewijzing" (BerichtCode
 * 444) from the zorgorganisatie (Afzender, AGB code) to the gemeente (Ontvanger, gemeentecode):
 * one AangevraagdProduct per maatwerkvoorziening, each pointing back to the plan in its
 * Commentaar. The plan's narrative (the CRvB steps, consent) has no place in iWmo and travels in
 * {@link nl.wmogateway.plan.OndersteuningsplanJsonRendering}.
 *
 * <p>Before writing, every field is checked against what the official XSD and the message-level
 * iWmo rules would reject with retourcode 0001 (string limits, BSN 11-proef, code lists, CS003
 * end after start, TR002 birth date, CD041/CD095 Omvang with and only with a productcode, CS343
 * frequentie for dagdelen, etmalen, euro's and stuks, TR386 no product twice in one period, CD066-CD068
 * the verwijzer, unique
 * ReferentieAanbieder); all problems are reported together in one
 * {@link IllegalArgumentException}. Not checked, because they need a clock or state: TR135
 * (Dagtekening not in the future), TR056 (Identificatie unique), TR347 across messages
 * (ReferentieAanbieder unique per aanbieder) and TR374 (one open verzoek per client).
 *
 * <p>Open-ended requests: the official rule CD076 makes a ToewijzingEinddatum mandatory for a
 * product with Frequentie per week. Passend beschikken asks for open-ended support, so the
 * gemeente's {@link OpenEndedPolicy} decides how such a product is written: with a technical end
 * date (the Commentaar says so, with the evaluation moment) or as a volume per month. The plan
 * JSON keeps the product open-ended, with its evaluation moment, as the nurse wrote it.
 */
public final class Wmo315Rendering implements PlanRendering {

    public static final String TYPE = "iwmo-wmo315";
    public static final String CONTENT_TYPE = "application/xml";

    public static final String NS_WMO315 = IwmoCodes.namespace("wmo315");
    public static final String NS_IWMO = IwmoXml.NS_IWMO;

    /**
     * Cap for LDT_Commentaar. The iWmo 3.2 basisschema sets no maxLength on it (only "not blank");
     * 1000 is a conservative cap so receiving applications with fixed-size columns accept it.
     */
    public static final int MAX_COMMENTAAR = 1000;

    private static final int MAX_NAAM = 200;
    private static final int MAX_VOORVOEGSEL = 10;
    private static final int MAX_REFERENTIE = 36;
    private static final int MAX_PRODUCTCODE = 5;
    private static final int MAX_VOLUME = 99_999_999;
    private static final int MAX_LEEFTIJD_JAREN = 120;

    private static final Pattern AGB_CODE = Pattern.compile("[0-9]{8}");
    private static final Pattern GEMEENTECODE = Pattern.compile("[0-9]{4}");
    // exactly the XSD's LDT_Voorletters pattern ([a-zA-ZÀ-ỳ])+ with its maxLength 6
    private static final Pattern VOORLETTERS = Pattern.compile("[a-zA-Z\u00C0-\u1EF3]{1,6}");

    private final OfficialRules rules;

    /** A rendering that applies only the gateway's own checks (tests, tools). */
    public Wmo315Rendering() {
        this(OfficialRules.none());
    }

    /**
     * A rendering whose every message must also pass the official iWmo rule set when one is
     * configured: a message the chain would reject is never made.
     */
    public Wmo315Rendering(OfficialRules rules) {
        this.rules = rules;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String contentType() {
        return CONTENT_TYPE;
    }

    /**
     * {@inheritDoc}
     *
     * <p>An Optional holding a blank string is treated as empty: iWmo forbids empty elements, and
     * leaving out a blank Voornamen loses nothing.
     */
    @Override
    public byte[] render(Ondersteuningsplan plan, RenderContext context) {
        List<String> problems = problems(plan, context);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "Cannot render plan " + plan.requestId() + " as iWmo WMO315: " + String.join("; ", problems));
        }
        byte[] bericht = IwmoXml.bericht("wmo315", NS_WMO315, xml -> {
            header(xml, plan, context);
            client(xml, plan, context);
        });
        List<Finding> broken = rules.problems(bericht, "the WMO315");
        if (!broken.isEmpty()) {
            throw new IllegalArgumentException(broken.stream()
                    .map(f -> f.message() + " at " + f.expression())
                    .collect(Collectors.joining("; ")));
        }
        return bericht;
    }

    private static void header(IwmoXml xml, Ondersteuningsplan plan, RenderContext context) throws XMLStreamException {
        xml.start(NS_WMO315, "Header");
        xml.header(
                "444",
                new IwmoHeader(
                        plan.zorgorganisatie().agbCode(),
                        plan.gemeente().gemeentecode(),
                        context.berichtIdentificatie(),
                        context.dagtekening()));
        xml.end();
    }

    private static void client(IwmoXml xml, Ondersteuningsplan plan, RenderContext context) throws XMLStreamException {
        Client client = plan.client();
        xml.start(NS_WMO315, "Client");
        xml.leaf(NS_WMO315, "Bsn", client.bsn());
        xml.start(NS_WMO315, "Geboortedatum");
        xml.leaf(NS_IWMO, "Datum", client.geboortedatum().toString());
        xml.end();
        xml.leaf(NS_WMO315, "Geslacht", client.geslacht().code());
        xml.start(NS_WMO315, "Naam");
        xml.start(NS_IWMO, "Geslachtsnaam");
        xml.leaf(NS_IWMO, "Achternaam", client.achternaam());
        xml.optionalLeaf(NS_IWMO, "Voorvoegsel", client.voorvoegsel());
        xml.end();
        xml.optionalLeaf(NS_IWMO, "Voornamen", client.voornamen());
        xml.optionalLeaf(NS_IWMO, "Voorletters", client.voorletters());
        xml.end();
        xml.start(NS_WMO315, "AangevraagdeProducten");
        for (AangevraagdProduct product : plan.maatwerkvoorzieningen()) {
            product(xml, plan, product, context);
        }
        xml.end();
        xml.end();
    }

    private static void product(IwmoXml xml, Ondersteuningsplan plan, AangevraagdProduct product, RenderContext context)
            throws XMLStreamException {
        xml.start(NS_WMO315, "AangevraagdProduct");
        xml.leaf(NS_WMO315, "ReferentieAanbieder", product.referentieAanbieder());
        xml.start(NS_WMO315, "Product");
        xml.leaf(NS_IWMO, "Categorie", product.categorie());
        xml.optionalLeaf(NS_IWMO, "Code", product.code());
        xml.end();
        xml.leaf(NS_WMO315, "ToewijzingIngangsdatum", product.ingangsdatum().toString());
        OpenEndedPolicy.Written written =
                context.openEnded().apply(product.omvang(), product.ingangsdatum(), product.einddatum());
        if (written.einddatum().isPresent()) {
            xml.leaf(NS_WMO315, "ToewijzingEinddatum", written.einddatum().get().toString());
        }
        if (written.omvang().isPresent()) {
            Omvang omvang = written.omvang().get();
            xml.start(NS_WMO315, "Omvang");
            xml.leaf(NS_IWMO, "Volume", Integer.toString(omvang.volume()));
            xml.leaf(NS_IWMO, "Eenheid", omvang.eenheid());
            xml.leaf(NS_IWMO, "Frequentie", omvang.frequentie());
            xml.end();
        }
        xml.start(NS_WMO315, "Verwijzer");
        xml.leaf(NS_IWMO, "Type", context.verwijzerType());
        xml.optionalLeaf(NS_IWMO, "Naam", context.verwijzer().naam());
        xml.optionalLeaf(NS_IWMO, "ZorgverlenerCode", context.verwijzer().zorgverlenerCode());
        xml.end();
        xml.leaf(NS_WMO315, "Commentaar", commentaar(openEndedNote(product, written), plan));
        xml.end();
    }

    /** Says that an end date is technical, and when the product is evaluated: the decision is open-ended. */
    static String openEndedNote(AangevraagdProduct product, OpenEndedPolicy.Written written) {
        if (!written.technicalEnd()) {
            return "";
        }
        return "Gevraagd zonder einddatum, ToewijzingEinddatum is technisch"
                + product.evaluatiedatum()
                        .map(d -> ", evaluatie uiterlijk " + d)
                        .orElse("") + ". ";
    }

    /** "Ondersteuningsplan &lt;planId&gt;", cut at {@link #MAX_COMMENTAAR} characters with an ellipsis. */
    static String commentaar(Ondersteuningsplan plan) {
        return commentaar("", plan);
    }

    /** The note first, then "Ondersteuningsplan &lt;planId&gt;", cut as {@link #commentaar(Ondersteuningsplan)}. */
    static String commentaar(String note, Ondersteuningsplan plan) {
        String full = note + "Ondersteuningsplan " + plan.requestId();
        if (full.codePointCount(0, full.length()) <= MAX_COMMENTAAR) {
            return full;
        }
        // cut on a code point boundary so a surrogate pair is never split
        return full.substring(0, full.offsetByCodePoints(0, MAX_COMMENTAAR - 1)) + "\u2026";
    }

    private static List<String> problems(Ondersteuningsplan plan, RenderContext context) {
        Problems p = new Problems();
        p.line("Header/BerichtIdentificatie/Identificatie", context.berichtIdentificatie(), Integer.MAX_VALUE);
        if (!Codelijsten.VERWIJZER_TYPES.containsKey(context.verwijzerType())) {
            p.add("Verwijzer/Type '" + context.verwijzerType()
                    + "' is not an iWmo verwijzer type (COD327): expected one of "
                    + Codelijsten.VERWIJZER_TYPES.keySet());
        }
        context.verwijzer().problem().ifPresent(p::add);
        p.matches(
                "Header/Afzender (zorgorganisatie AGB code)",
                plan.zorgorganisatie().agbCode(),
                AGB_CODE,
                "8 digits");
        p.matches("Header/Ontvanger (gemeentecode)", plan.gemeente().gemeentecode(), GEMEENTECODE, "4 digits");

        Client client = plan.client();
        if (!Bsn.isValid(client.bsn())) {
            p.add("Client/Bsn '" + client.bsn() + "' is not a valid BSN: 9 digits passing the 11-proef (CS002)");
        }
        LocalDate geboortedatum = client.geboortedatum();
        if (geboortedatum == null) {
            p.add("Client/Geboortedatum is missing");
        } else if (geboortedatum.isAfter(context.dagtekening())
                || geboortedatum.isBefore(context.dagtekening().minusYears(MAX_LEEFTIJD_JAREN))) {
            p.add("Client/Geboortedatum " + geboortedatum + " must lie within " + MAX_LEEFTIJD_JAREN
                    + " years before the Dagtekening " + context.dagtekening() + " (TR002)");
        }
        if (client.geslacht() == null) {
            p.add("Client/Geslacht is missing");
        }
        p.line("Client/Naam/Geslachtsnaam/Achternaam", client.achternaam(), MAX_NAAM);
        present(client.voorvoegsel())
                .ifPresent(v -> p.line("Client/Naam/Geslachtsnaam/Voorvoegsel", v, MAX_VOORVOEGSEL));
        present(client.voornamen()).ifPresent(v -> p.line("Client/Naam/Voornamen", v, MAX_NAAM));
        present(client.voorletters())
                .filter(v -> !VOORLETTERS.matcher(v).matches())
                .ifPresent(v ->
                        p.add("Client/Naam/Voorletters '" + v + "' must be 1 to 6 letters, without dots or spaces"));

        if (plan.maatwerkvoorzieningen().isEmpty()) {
            p.add("AangevraagdeProducten needs at least one maatwerkvoorziening");
        }
        Set<String> referenties = new HashSet<>();
        int index = 1;
        for (AangevraagdProduct product : plan.maatwerkvoorzieningen()) {
            productProblems(p, "AangevraagdProduct[" + index++ + "]", product, referenties);
        }
        overlappingProducts(p, plan.maatwerkvoorzieningen());
        p.text("AangevraagdProduct/Commentaar (from planId)", commentaar(plan), MAX_COMMENTAAR);
        return p.list();
    }

    private static void productProblems(Problems p, String path, AangevraagdProduct product, Set<String> referenties) {
        String referentie = product.referentieAanbieder();
        p.line(path + "/ReferentieAanbieder", referentie, MAX_REFERENTIE);
        if (referentie != null && !referenties.add(referentie)) {
            p.add(path + "/ReferentieAanbieder '" + referentie
                    + "' occurs more than once; each must be unique (TR383)");
        }
        if (!Codelijsten.PRODUCTCATEGORIEEN.containsKey(product.categorie())) {
            p.add(path + "/Product/Categorie '" + product.categorie()
                    + "' is not an iWmo productcategorie (WMO020): expected 01 to 18");
        }
        present(product.code()).ifPresent(code -> p.line(path + "/Product/Code", code, MAX_PRODUCTCODE));
        if (product.ingangsdatum() == null) {
            p.add(path + "/ToewijzingIngangsdatum is missing");
        } else if (product.einddatum()
                .filter(eind -> eind.isBefore(product.ingangsdatum()))
                .isPresent()) {
            p.add(path + "/ToewijzingEinddatum " + product.einddatum().get() + " lies before ToewijzingIngangsdatum "
                    + product.ingangsdatum() + " (CS003)");
        }
        if (present(product.code()).isPresent() && product.omvang().isEmpty()) {
            p.add(path + "/Omvang is required when Product/Code is given (CD041)");
        }
        boolean na2020 = product.einddatum()
                .map(e -> e.isAfter(LocalDate.of(2020, 12, 31)))
                .orElse(true);
        if (na2020 && present(product.code()).isEmpty() && product.omvang().isPresent()) {
            p.add(path + "/Omvang must be empty when Product/Code is empty (CD095)");
        }
        product.omvang()
                .filter(o -> na2020 && EENHEDEN_MET_FREQUENTIE.contains(o.eenheid()))
                .filter(o -> !FREQUENTIES_VOOR_EENHEDEN.contains(o.frequentie()))
                .ifPresent(o ->
                        p.add(path + "/Omvang/Frequentie must be 2, 4 or 6 with Eenheid " + o.eenheid() + " (CS343)"));
        product.omvang().ifPresent(omvang -> {
            if (omvang.volume() < 0 || omvang.volume() > MAX_VOLUME) {
                p.add(path + "/Omvang/Volume " + omvang.volume() + " must be between 0 and " + MAX_VOLUME);
            }
            if (!Codelijsten.EENHEDEN.containsKey(omvang.eenheid())) {
                p.add(path + "/Omvang/Eenheid '" + omvang.eenheid()
                        + "' is not an iWmo eenheid (WJ756): expected one of " + Codelijsten.EENHEDEN.keySet());
            }
            if (!Codelijsten.FREQUENTIES.containsKey(omvang.frequentie())) {
                p.add(path + "/Omvang/Frequentie '" + omvang.frequentie()
                        + "' is not an iWmo frequentie (WMO757): expected one of " + Codelijsten.FREQUENTIES.keySet());
            }
        });
    }

    /**
     * TR386: a product occurs more than once in one verzoek only when its periods do not overlap
     * (categorieen 11 to 14 excepted); the same product is the same categorie with the same code, or
     * the same categorie when either has no code.
     */
    private static void overlappingProducts(Problems p, List<AangevraagdProduct> producten) {
        for (int i = 0; i < producten.size(); i++) {
            for (int j = 0; j < i; j++) {
                AangevraagdProduct a = producten.get(i);
                AangevraagdProduct b = producten.get(j);
                boolean sameCategorie = a.categorie() != null && a.categorie().equals(b.categorie());
                boolean sameProduct = sameCategorie
                        && (a.code().isEmpty() || b.code().isEmpty() || a.code().equals(b.code()));
                if (!sameProduct
                        || CATEGORIEEN_ZONDER_TR386.contains(a.categorie())
                        || a.ingangsdatum() == null
                        || b.ingangsdatum() == null) {
                    continue;
                }
                boolean overlap =
                        !a.einddatum().filter(e -> e.isBefore(b.ingangsdatum())).isPresent()
                                && !b.einddatum()
                                        .filter(e -> e.isBefore(a.ingangsdatum()))
                                        .isPresent();
                if (overlap) {
                    p.add("AangevraagdProduct[" + (i + 1) + "] and AangevraagdProduct[" + (j + 1)
                            + "] ask for the same product" + " in overlapping periods; ask for it once (TR386)");
                }
            }
        }
    }

    private static final Set<String> EENHEDEN_MET_FREQUENTIE = Set.of("14", "16", "83", "84");
    private static final Set<String> FREQUENTIES_VOOR_EENHEDEN = Set.of("2", "4", "6");
    private static final Set<String> CATEGORIEEN_ZONDER_TR386 = Set.of("11", "12", "13", "14");

    private static Optional<String> present(Optional<String> value) {
        return IwmoXml.present(value);
    }
}
