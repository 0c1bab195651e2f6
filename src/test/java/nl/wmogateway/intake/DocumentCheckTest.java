package nl.wmogateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.fixtures.TestBundles;
import nl.wmogateway.intake.DocumentCheck.Format;
import org.junit.jupiter.api.Test;

class DocumentCheckTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final IntakeLimits LIMITS = IntakeLimits.defaults();

    private static Optional<IntakeRejection> json(String body) {
        return DocumentCheck.check(body.getBytes(StandardCharsets.UTF_8), Format.JSON, "Bundle", LIMITS);
    }

    private static Optional<IntakeRejection> xml(String body) {
        return DocumentCheck.check(body.getBytes(StandardCharsets.UTF_8), Format.XML, "Bundle", LIMITS);
    }

    private static Finding finding(Optional<IntakeRejection> r) {
        assertThat(r).as("refused").isPresent();
        return r.get().findings().get(0);
    }

    @Test
    void theExamplePlanPassesAsJsonAndAsXml() {
        String json = FHIR.newJsonParser().encodeResourceToString(TestBundles.valid());
        String xml = FHIR.newXmlParser().encodeResourceToString(TestBundles.valid());

        assertThat(json(json)).isEmpty();
        assertThat(xml(xml)).isEmpty();
    }

    @Test
    void aKeyGivenTwiceIsRefusedWithItsLocation() {
        Optional<IntakeRejection> r = json("""
                {"resourceType":"Bundle","entry":[{"fullUrl":"urn:uuid:1"},{"resource":{"resourceType":"Patient",
                "identifier":[{"system":"http://fhir.nl/fhir/NamingSystem/bsn","value":"999911120","value":"123456782"}]}}]}""");

        assertThat(r.get().httpStatus()).isEqualTo(400);
        assertThat(finding(r).expression()).isEqualTo("Bundle.entry[1].resource.identifier[0].value");
        assertThat(finding(r).message()).contains("'value' occurs twice").contains("line 2");
    }

    @Test
    void theSameKeyInDifferentObjectsIsFine() {
        assertThat(json("{\"resourceType\":\"Bundle\",\"entry\":[{\"fullUrl\":\"a\"},{\"fullUrl\":\"b\"}]}"))
                .isEmpty();
    }

    @Test
    void invalidUtf8IsRefusedWithItsOffset() {
        byte[] body = "{\"resourceType\":\"Bundle\",\"id\":\"x\u00e9\"}".getBytes(StandardCharsets.UTF_8);
        body[body.length - 3] = (byte) 0x28; // the second byte of é: C3 28 is not UTF-8

        Optional<IntakeRejection> r = DocumentCheck.check(body, Format.JSON, "Bundle", LIMITS);

        assertThat(r.get().httpStatus()).isEqualTo(400);
        assertThat(finding(r).message())
                .contains("not valid UTF-8")
                .contains("0xC3")
                .contains("offset 32");
    }

    @Test
    void anEncodedSurrogateIsNotUtf8() {
        byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'};

        assertThat(finding(DocumentCheck.check(body, Format.JSON, "Bundle", LIMITS))
                        .message())
                .contains("not valid UTF-8");
    }

    @Test
    void anEscapedUnpairedSurrogateIsRefused() {
        assertThat(finding(json("{\"resourceType\":\"Bundle\",\"id\":\"a\\ud800b\"}"))
                        .message())
                .contains("unpaired surrogate");
    }

    @Test
    void aControlCharacterInAStringIsRefused() {
        Finding f = finding(json("{\"resourceType\":\"Bundle\",\"id\":\"a\\u0001b\"}"));

        assertThat(f.message()).contains("U+0001");
        assertThat(f.expression()).isEqualTo("Bundle.id");
        assertThat(json("{\"resourceType\":\"Bundle\",\"id\":\"tab\\there\\nand\\r\"}"))
                .isEmpty();
    }

    @Test
    void moreEntriesThanTheLimitAreRefusedAt422NamingTheLimit() {
        StringBuilder sb = new StringBuilder("{\"resourceType\":\"Bundle\",\"entry\":[");
        for (int i = 0; i < 10_000; i++) {
            sb.append(i == 0 ? "" : ",")
                    .append("{\"fullUrl\":\"urn:uuid:")
                    .append(i)
                    .append("\"}");
        }
        Optional<IntakeRejection> r = json(sb.append("]}").toString());

        assertThat(r.get().httpStatus()).isEqualTo(422);
        assertThat(finding(r).message()).contains("more than 200 entries").contains("wmo.intake.max-entries = 200");
        assertThat(finding(r).expression()).isEqualTo("Bundle.entry");
    }

    @Test
    void exactlyTheLimitOfEntriesIsFine() {
        StringBuilder sb = new StringBuilder("{\"resourceType\":\"Bundle\",\"entry\":[");
        for (int i = 0; i < 200; i++) {
            sb.append(i == 0 ? "" : ",")
                    .append("{\"fullUrl\":\"urn:uuid:")
                    .append(i)
                    .append("\"}");
        }
        assertThat(json(sb.append("]}").toString())).isEmpty();
    }

    @Test
    void deepNestingIsRefusedAtTheLimitNotAfterParsingIt() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        Optional<IntakeRejection> r = json("{\"resourceType\":\"Bundle\",\"x\":" + deep + "}");

        assertThat(r.get().httpStatus()).isEqualTo(422);
        assertThat(finding(r).message()).contains("deeper than 32 levels").contains("wmo.intake.max-depth");
        assertThat(finding(r).expression()).startsWith("Bundle.x[0][0]");
    }

    @Test
    void aStringLongerThanTheLimitIsRefused() {
        Optional<IntakeRejection> r = json("{\"resourceType\":\"Bundle\",\"id\":\"" + "a".repeat(1_048_577) + "\"}");

        assertThat(r.get().httpStatus()).isEqualTo(422);
        assertThat(finding(r).message()).contains("1048577 characters").contains("wmo.intake.max-string-length");
        assertThat(finding(r).expression()).isEqualTo("Bundle.id");
    }

    @Test
    void aNumberWithAHugeExponentIsRefused() {
        Optional<IntakeRejection> r =
                json("{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":{\"resourceType\":\"ServiceRequest\","
                        + "\"quantityQuantity\":{\"value\":1e999999999}}}]}");

        assertThat(r.get().httpStatus()).isEqualTo(400);
        assertThat(finding(r).message()).contains("exponent");
        assertThat(finding(r).expression()).isEqualTo("Bundle.entry[0].resource.quantityQuantity.value");
        assertThat(json("{\"resourceType\":\"Bundle\",\"x\":1.5e3}")).isEmpty();
    }

    @Test
    void contentAfterTheDocumentIsRefused() {
        assertThat(finding(json("{\"resourceType\":\"Bundle\"} {\"resourceType\":\"Bundle\"}"))
                        .message())
                .contains("goes on after the end");
    }

    @Test
    void aBodyThatIsNotAnObjectIsRefused() {
        assertThat(finding(json("[1,2]")).message()).contains("starts with an array");
    }

    @Test
    void malformedJsonIsRefusedWithTheParsersReasonAndPlace() {
        Finding f = finding(json("{\"resourceType\":\"Bundle\",\"entry\":["));

        assertThat(f.message()).contains("not well-formed JSON").contains("line 1");
    }

    @Test
    void aDoctypeIsRefusedBeforeAnyEntityIsRead() {
        Optional<IntakeRejection> r = xml("""
                <?xml version="1.0"?>
                <!DOCTYPE Bundle [<!ENTITY % x SYSTEM "http://127.0.0.1:9/x.dtd"> %x;]>
                <Bundle xmlns="http://hl7.org/fhir"><type value="transaction"/></Bundle>""");

        assertThat(r.get().httpStatus()).isEqualTo(400);
        assertThat(finding(r).message()).contains("DOCTYPE");
    }

    @Test
    void xmlInNoOrAnotherNamespaceIsRefused() {
        assertThat(finding(xml("<Bundle><type value=\"transaction\"/></Bundle>"))
                        .message())
                .contains("no namespace");
        assertThat(finding(xml("<Bundle xmlns=\"http://hl7.org/fhir/x\"><type value=\"transaction\"/></Bundle>"))
                        .message())
                .contains("namespace http://hl7.org/fhir/x");
        Finding mixed = finding(xml("<Bundle xmlns=\"http://hl7.org/fhir\"><entry><resource><Patient>"
                + "<x:gender xmlns:x=\"urn:other\" value=\"male\"/></Patient></resource></entry></Bundle>"));
        assertThat(mixed.expression()).isEqualTo("Bundle.entry[0].resource.gender");
    }

    @Test
    void xhtmlIsFineOnlyInsideTheNarrative() {
        assertThat(xml(
                        "<Bundle xmlns=\"http://hl7.org/fhir\"><entry><resource><Patient><text><status value=\"generated\"/>"
                                + "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Mevrouw <b>de Vries</b></p></div></text>"
                                + "</Patient></resource></entry></Bundle>"))
                .isEmpty();
        assertThat(finding(xml("<Bundle xmlns=\"http://hl7.org/fhir\"><entry><resource><Patient><text>"
                                + "<div xmlns=\"http://www.w3.org/1999/xhtml\"><f:x xmlns:f=\"http://hl7.org/fhir\"/></div></text>"
                                + "</Patient></resource></entry></Bundle>"))
                        .message())
                .contains("narrative");
    }

    @Test
    void anXmlDeclarationWithAnotherEncodingIsRefused() {
        assertThat(finding(
                                xml(
                                        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Bundle xmlns=\"http://hl7.org/fhir\"/>"))
                        .message())
                .contains("ISO-8859-1");
    }

    @Test
    void xmlEntriesDepthAndNumbersAreBoundedLikeJson() {
        StringBuilder many = new StringBuilder("<Bundle xmlns=\"http://hl7.org/fhir\">");
        for (int i = 0; i < 201; i++) {
            many.append("<entry><fullUrl value=\"urn:uuid:").append(i).append("\"/></entry>");
        }
        assertThat(xml(many.append("</Bundle>").toString()).get().httpStatus()).isEqualTo(422);
        assertThat(xml("<Bundle xmlns=\"http://hl7.org/fhir\">" + "<a>".repeat(40) + "</a>".repeat(40) + "</Bundle>")
                        .get()
                        .findings()
                        .get(0)
                        .message())
                .contains("deeper than 32");
        assertThat(finding(
                                xml(
                                        "<Bundle xmlns=\"http://hl7.org/fhir\"><entry><resource><ServiceRequest><quantityQuantity>"
                                                + "<value value=\"1e-999999999\"/></quantityQuantity></ServiceRequest></resource></entry></Bundle>"))
                        .expression())
                .isEqualTo("Bundle.entry[0].resource.quantityQuantity.value");
    }

    @Test
    void malformedXmlIsRefusedWithThePlace() {
        Finding f = finding(xml("<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"transaction\"/><entry>"));

        assertThat(f.message()).contains("not well-formed XML").contains("line 1");
    }
}
