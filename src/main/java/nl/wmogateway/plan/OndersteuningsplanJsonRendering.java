package nl.wmogateway.plan;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The ondersteuningsplan as a JSON document for the gemeente's consulent application, version 1.
 *
 * <p>The document follows the canonical model, with the five CRvB steps grouped under
 * {@code crvb} in their legal order, so a reviewer can check completeness at a glance. It is
 * described by {@code schema/ondersteuningsplan-v1.schema.json} (JSON Schema 2020-12, the
 * {@link #SCHEMA} URL is both its {@code $id} and the value of the document's {@code "schema"}
 * key) and by {@code docs/ondersteuningsplan-json.md}.
 *
 * <p>Conventions: keys are the model's Dutch names; dates are ISO-8601 ({@code 2025-04-01}),
 * instants ISO-8601 UTC ({@code 2025-03-10T10:15:00Z}); an empty Optional, or one holding a
 * blank string, leaves its key out (never {@code null} or {@code ""}); coded values are objects with {@code code} and {@code omschrijving}.
 * Output is UTF-8, indented with two spaces and {@code \n}, with keys in a fixed order, so the
 * same plan always gives the same bytes (and the same hash or signature).
 *
 * <p>Written in Java rather than as a template because the mapping is core domain logic that
 * changes with the model, not per gemeente; a gemeente that needs another shape gets another
 * {@link PlanRendering}.
 */
public final class OndersteuningsplanJsonRendering implements PlanRendering {

    /** The schema this rendering produces; also the JSON Schema's {@code $id}. */
    public static final String SCHEMA = "https://wmo-gateway.nl/schema/ondersteuningsplan/v1";

    public static final String TYPE = "ondersteuningsplan-json";
    public static final String CONTENT_TYPE = "application/json";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectWriter writer;

    public OndersteuningsplanJsonRendering() {
        // Explicit "\n" instead of Jackson's default system line separator: same bytes on every platform.
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                        .withObjectEmptySeparator("")
                        .withArrayEmptySeparator(""))
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
        this.writer = new ObjectMapper().writer(printer);
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
     * <p>The context is not used: the document is the plan, not a message about it.
     *
     * @throws IllegalArgumentException if a productcategorie, eenheid or frequentie is not an
     *                                  iWmo code, since the document could not describe it
     */
    @Override
    public byte[] render(Ondersteuningsplan plan, RenderContext context) {
        try {
            return writer.writeValueAsBytes(document(plan));
        } catch (IOException e) {
            // writing a tree to a byte array does not do I/O
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode document(Ondersteuningsplan plan) {
        ObjectNode root = NODES.objectNode();
        root.put("schema", SCHEMA);
        root.put("planId", plan.requestId());
        root.put("bundleIdentifier", plan.bundleIdentifier());
        root.put("ontvangen", plan.ontvangen().toString());
        root.set("gemeente", gemeente(plan.gemeente()));
        root.set("zorgorganisatie", zorgorganisatie(plan.zorgorganisatie()));
        root.set("professional", professional(plan.professional()));
        root.set("client", client(plan.client()));
        root.set("samenIndiceren", samenIndiceren(plan.samenIndiceren()));
        root.set("crvb", crvb(plan));
        root.set("toestemming", toestemming(plan.toestemming()));
        return root;
    }

    private static ObjectNode gemeente(Gemeente gemeente) {
        ObjectNode node = NODES.objectNode();
        node.put("gemeentecode", gemeente.gemeentecode());
        node.put("naam", gemeente.naam());
        return node;
    }

    private static ObjectNode zorgorganisatie(Zorgorganisatie zorgorganisatie) {
        ObjectNode node = NODES.objectNode();
        node.put("agbCode", zorgorganisatie.agbCode());
        putIfPresent(node, "uraNummer", zorgorganisatie.uraNummer());
        node.put("naam", zorgorganisatie.naam());
        return node;
    }

    private static ObjectNode professional(Professional professional) {
        ObjectNode node = NODES.objectNode();
        node.put("naam", professional.naam());
        putIfPresent(node, "rol", professional.rol());
        putIfPresent(node, "bigNummer", professional.bigNummer());
        putIfPresent(node, "agbCode", professional.agbCode());
        putIfPresent(node, "uziNummer", professional.uziNummer());
        return node;
    }

    private static ObjectNode client(Client client) {
        ObjectNode node = NODES.objectNode();
        node.put("bsn", client.bsn());
        node.put("geboortedatum", client.geboortedatum().toString());
        String geslacht = client.geslacht().code();
        node.set("geslacht", coded(geslacht, Codelijsten.GESLACHTEN.get(geslacht)));
        node.put("achternaam", client.achternaam());
        putIfPresent(node, "voorvoegsel", client.voorvoegsel());
        putIfPresent(node, "voornamen", client.voornamen());
        putIfPresent(node, "voorletters", client.voorletters());
        return node;
    }

    private static ObjectNode samenIndiceren(SamenIndiceren samenIndiceren) {
        ObjectNode node = NODES.objectNode();
        node.put("betrokkenheid", samenIndiceren.betrokkenheid());
        node.put("redenSamenIndiceren", samenIndiceren.redenSamenIndiceren());
        return node;
    }

    private static ObjectNode crvb(Ondersteuningsplan plan) {
        ObjectNode node = NODES.objectNode();
        node.put("hulpvraag", plan.hulpvraag());
        ArrayNode beperkingen = node.putArray("beperkingen");
        plan.beperkingen().forEach(b -> beperkingen.add(beperking(b)));
        ArrayNode doelen = node.putArray("ondersteuningsbehoefte");
        plan.ondersteuningsbehoefte().forEach(d -> doelen.add(doel(d)));
        node.set("eigenMogelijkheden", eigenMogelijkheden(plan.eigenMogelijkheden()));
        ArrayNode producten = node.putArray("maatwerkvoorzieningen");
        plan.maatwerkvoorzieningen().forEach(p -> producten.add(product(p)));
        return node;
    }

    private static ObjectNode beperking(Beperking beperking) {
        ObjectNode node = NODES.objectNode();
        node.set("leefgebied", leefgebied(beperking.leefgebied()));
        node.put("omschrijving", beperking.omschrijving());
        beperking.zrmScore().ifPresent(score -> node.put("zrmScore", score));
        return node;
    }

    private static ObjectNode doel(Doel doel) {
        ObjectNode node = NODES.objectNode();
        node.set("leefgebied", leefgebied(doel.leefgebied()));
        node.put("omschrijving", doel.omschrijving());
        doel.streefdatum().ifPresent(d -> node.put("streefdatum", d.toString()));
        return node;
    }

    private static ObjectNode eigenMogelijkheden(EigenMogelijkheden eigen) {
        ObjectNode node = NODES.objectNode();
        node.put("eigenKracht", eigen.eigenKracht());
        node.put("sociaalNetwerk", eigen.sociaalNetwerk());
        node.put("voorliggendVeld", eigen.voorliggendVeld());
        ArrayNode mantelzorgers = node.putArray("mantelzorgers");
        eigen.mantelzorgers().forEach(m -> mantelzorgers.addObject().put("relatie", m.relatie()));
        return node;
    }

    private static ObjectNode product(AangevraagdProduct product) {
        ObjectNode node = NODES.objectNode();
        node.put("referentieAanbieder", product.referentieAanbieder());
        String omschrijvingCategorie = Codelijsten.PRODUCTCATEGORIEEN.get(product.categorie());
        if (omschrijvingCategorie == null) {
            throw new IllegalArgumentException("Maatwerkvoorziening " + product.referentieAanbieder() + ": categorie '"
                    + product.categorie() + "' is not an iWmo productcategorie (WMO020)");
        }
        node.set("productcategorie", coded(product.categorie(), omschrijvingCategorie));
        putIfPresent(node, "productcode", product.code());
        node.put("omschrijving", product.omschrijving());
        product.omvang().ifPresent(omvang -> node.set("omvang", omvang(omvang)));
        node.put("ingangsdatum", product.ingangsdatum().toString());
        product.einddatum().ifPresent(d -> node.put("einddatum", d.toString()));
        product.evaluatiedatum().ifPresent(d -> node.put("evaluatiedatum", d.toString()));
        node.put("motivering", product.motivering());
        return node;
    }

    private static ObjectNode omvang(Omvang omvang) {
        ObjectNode node = NODES.objectNode();
        node.put("volume", omvang.volume());
        node.put("eenheid", omvang.eenheid());
        node.put("frequentie", omvang.frequentie());
        node.put("omschrijving", Codelijsten.omschrijving(omvang));
        return node;
    }

    private static ObjectNode toestemming(Toestemming toestemming) {
        ObjectNode node = NODES.objectNode();
        node.put("consentId", toestemming.consentId());
        node.put("verleendDoor", toestemming.verleendDoor());
        node.put("verleendOp", toestemming.verleendOp().toString());
        node.put("geldigVan", toestemming.geldigVan().toString());
        toestemming.geldigTot().ifPresent(d -> node.put("geldigTot", d.toString()));
        node.put("doel", toestemming.doel());
        node.put("ontvanger", toestemming.ontvanger());
        toestemming.formulier().ifPresent(f -> node.set("formulier", formulier(f)));
        return node;
    }

    private static ObjectNode formulier(Toestemming.Formulier formulier) {
        ObjectNode node = NODES.objectNode();
        node.put("titel", formulier.titel());
        node.put("contentType", formulier.contentType());
        putIfPresent(node, "sha256", formulier.sha256());
        putIfPresent(node, "sha1", formulier.sha1());
        putIfPresent(node, "url", formulier.url());
        return node;
    }

    private static ObjectNode leefgebied(Leefgebied leefgebied) {
        return coded(leefgebied.code(), leefgebied.omschrijving());
    }

    private static ObjectNode coded(String code, String omschrijving) {
        ObjectNode node = NODES.objectNode();
        node.put("code", code);
        node.put("omschrijving", omschrijving);
        return node;
    }

    /** A blank value counts as absent, so the document never carries {@code ""}. */
    private static void putIfPresent(ObjectNode node, String key, Optional<String> value) {
        value.filter(v -> !v.isBlank()).ifPresent(v -> node.put(key, v));
    }
}
