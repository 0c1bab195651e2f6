package nl.wmogateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import nl.wmogateway.fixtures.TestBundles;
import nl.wmogateway.store.InboundMessage;
import nl.wmogateway.support.GatewayTestBase;
import nl.wmogateway.support.Requests;
import nl.wmogateway.support.TestPkiFiles;
import nl.wmogateway.trust.TlsContexts;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bad requests get the exact problem back as an OperationOutcome, are kept as received, and
 * nothing reaches the gemeente.
 */
class IntakeRejectionTest extends GatewayTestBase {

    private Bundle bundle;

    @AfterEach
    void nothingWasDelivered() {
        assertThat(GEMEENTE.getAllServeEvents())
                .as("requests that reached the gemeente")
                .isEmpty();
        if (bundle != null) {
            assertThat(store.requestByBundle(
                            TestBundles.AGB,
                            bundle.getIdentifier().getSystem(),
                            bundle.getIdentifier().getValue()))
                    .isEmpty();
        }
    }

    @Test
    void aBsnThatFailsTheElfproefIsRejectedAtThePatientIdentifier() {
        bundle = Requests.fresh();
        TestBundles.find(bundle, Patient.class).getIdentifierFirstRep().setValue("123456789");

        OperationOutcome oo = rejected(bundle);

        assertThat(errors(oo)).anySatisfy(issue -> {
            assertThat(issue.getDiagnostics()).containsIgnoringCase("11-proef");
            assertThat(expression(issue))
                    .startsWith(entryPath(bundle, TestBundles.find(bundle, Patient.class)) + ".identifier");
        });
        assertInboundKept("REJECTED");
    }

    @Test
    void aBundleWithoutConsentIsRejected() {
        bundle = Requests.fresh();
        Consent consent = TestBundles.find(bundle, Consent.class);
        bundle.getEntry().removeIf(e -> e.getResource() == consent);

        OperationOutcome oo = rejected(bundle);

        // the profile of the request Bundle requires a Consent entry (slice "toestemming")
        assertThat(errors(oo))
                .anySatisfy(issue ->
                        assertThat(issue.getDiagnostics()).containsAnyOf("Bundle.entry:toestemming", "no Consent"));
        assertInboundKept("REJECTED");
    }

    @Test
    void consentForAnotherGemeenteIsRejected() {
        bundle = Requests.fresh();
        TestBundles.find(bundle, Consent.class)
                .getProvision()
                .getActorFirstRep()
                .setReference(new Reference()
                        .setIdentifier(new Identifier()
                                .setSystem(TestBundles.GEMEENTECODE_SYSTEM)
                                .setValue("0363")));

        OperationOutcome oo = rejected(bundle);

        assertThat(errors(oo)).anySatisfy(issue -> {
            assertThat(issue.getDiagnostics()).contains("0363").contains("0153");
            assertThat(expression(issue)).startsWith(entryPath(bundle, TestBundles.find(bundle, Consent.class)));
        });
    }

    @Test
    void expiredConsentIsRejected() {
        bundle = Requests.fresh();
        LocalDate yesterday = LocalDate.now().minusDays(1);
        TestBundles.find(bundle, Consent.class)
                .getProvision()
                .setPeriod(new Period()
                        .setStartElement(
                                new DateTimeType(yesterday.minusYears(1).toString()))
                        .setEndElement(new DateTimeType(yesterday.toString())));

        OperationOutcome oo = rejected(bundle);

        assertThat(errors(oo)).anySatisfy(issue -> {
            assertThat(issue.getDiagnostics()).contains(yesterday.toString());
            assertThat(expression(issue)).startsWith(entryPath(bundle, TestBundles.find(bundle, Consent.class)));
        });
    }

    @Test
    void aPlanMissingTheVoorliggendVeldIsRejectedNamingCrvbStepFour() {
        bundle = Requests.fresh();
        Observation voorliggendVeld = TestBundles.observation(bundle, "voorliggend-veld");
        String fullUrl = bundle.getEntry().stream()
                .filter(e -> e.getResource() == voorliggendVeld)
                .findFirst()
                .orElseThrow()
                .getFullUrl();
        TestBundles.find(bundle, CarePlan.class).getSupportingInfo().removeIf(r -> fullUrl.equals(r.getReference()));
        bundle.getEntry().removeIf(e -> e.getResource() == voorliggendVeld);

        OperationOutcome oo = rejected(bundle);

        assertThat(errors(oo)).anySatisfy(issue -> {
            assertThat(issue.getDiagnostics()).contains("stap 4").contains("voorliggend");
            assertThat(expression(issue)).startsWith(entryPath(bundle, TestBundles.find(bundle, CarePlan.class)));
        });
    }

    @Test
    void aBundleForAGemeenteThatIsNotConnectedIsRejectedAtTheTaskOwner() {
        bundle = Requests.fresh();
        TestBundles.findAll(bundle, Organization.class).stream()
                .flatMap(o -> o.getIdentifier().stream())
                .filter(i -> TestBundles.GEMEENTECODE_SYSTEM.equals(i.getSystem()))
                .forEach(i -> i.setValue("9999"));

        OperationOutcome oo = rejected(bundle);

        assertThat(errors(oo)).anySatisfy(issue -> {
            assertThat(issue.getDiagnostics()).contains("9999").contains("not connected");
            assertThat(expression(issue)).endsWith(".owner");
        });
    }

    @Test
    void aSecondRequestForAClientWhoseFirstIsStillOpenIsRejected() {
        Bundle first = Requests.fresh();
        String firstTask = taskId(ehr().transaction().withBundle(first).execute());
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(() -> store.request(firstTask)
                        .map(r -> r.status() == nl.wmogateway.store.RequestStatus.DELIVERED)
                        .orElse(false));
        GEMEENTE.resetAll(); // the first request's delivery is not what this test is about
        bundle = Requests.fresh();
        TestBundles.find(bundle, Patient.class).getIdentifierFirstRep().setValue(Requests.bsn(first));

        OperationOutcome oo = rejected(bundle);

        assertThat(errors(oo))
                .anySatisfy(issue ->
                        assertThat(issue.getDiagnostics()).contains("9374").contains("open request"));
    }

    @Test
    void malformedJsonGetsA400WithAnOperationOutcomeAndIsKept() throws Exception {
        String marker = "malformed-" + System.nanoTime();
        HttpResponse<String> response = postRaw(
                TestPkiFiles.EHR,
                "application/fhir+json",
                "{\"resourceType\": \"Bundle\", \"id\": \"" + marker + "\", \"type\": \"transaction\", \"entry\": [");

        assertThat(response.statusCode()).isEqualTo(400);
        OperationOutcome oo =
                FhirContext.forR4Cached().newJsonParser().parseResource(OperationOutcome.class, response.body());
        assertThat(oo.getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
        assertThat(oo.getIssueFirstRep().getDiagnostics()).isNotBlank();
        // the body was stored before it was parsed; its outcome is noted once the answer is written
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(inboundContaining(marker))
                        .hasValueSatisfying(m -> assertThat(m.outcome()).isEqualTo("HTTP 400")));
    }

    @Test
    void malformedXmlGetsA400WithAnOperationOutcome() throws Exception {
        HttpResponse<String> response = postRaw(
                TestPkiFiles.EHR,
                "application/fhir+xml",
                "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"transaction\"/><entry>");

        assertThat(response.statusCode()).isEqualTo(400);
        OperationOutcome oo =
                FhirContext.forR4Cached().newJsonParser().parseResource(OperationOutcome.class, response.body());
        assertThat(oo.getIssueFirstRep().getDiagnostics()).isNotBlank();
    }

    @Test
    void anUnknownElementIsAnErrorNotSilentlyDropped() throws Exception {
        String json = FhirContext.forR4Cached()
                .newJsonParser()
                .encodeResourceToString(Requests.fresh())
                .replaceFirst("\"resourceType\":\"Bundle\",", "\"resourceType\":\"Bundle\",\"secretField\":\"x\",");
        HttpResponse<String> response = postRaw(TestPkiFiles.EHR, "application/fhir+json", json);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("secretField");
    }

    @Test
    void withoutAClientCertificateTheHandshakeFails() {
        HttpClient anonymous = HttpClient.newBuilder()
                .sslContext(TlsContexts.sslContext(
                        new TlsContexts.TrustStoreFile(TestPkiFiles.TRUSTSTORE, TestPkiFiles.PASSWORD.toCharArray())))
                .build();
        String json = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(Requests.fresh());

        assertThatThrownBy(() -> anonymous.send(
                        HttpRequest.newBuilder(URI.create(fhirBase()))
                                .header("Content-Type", "application/fhir+json")
                                .POST(HttpRequest.BodyPublishers.ofString(json))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aCareOrganisationCannotSubmitForAnother() {
        bundle = Requests.fresh();

        ForbiddenOperationException e = catchThrowableOfType(
                () -> fhirClient(TestPkiFiles.OTHER_EHR)
                        .transaction()
                        .withBundle(bundle)
                        .execute(),
                ForbiddenOperationException.class);

        OperationOutcome oo = (OperationOutcome) e.getOperationOutcome();
        assertThat(oo.getIssueFirstRep().getDiagnostics()).contains("23456789").contains(TestBundles.AGB);
        assertThat(inboundContaining(bundle.getIdentifier().getValue()))
                .hasValueSatisfying(m -> assertThat(m.outcome()).isEqualTo("FORBIDDEN"));
    }

    @Test
    void aTrustedCertificateThatBelongsToNoPartnerIsRefused() {
        bundle = Requests.fresh();

        assertThatThrownBy(() -> fhirClient(TestPkiFiles.GATEWAY)
                        .transaction()
                        .withBundle(bundle)
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("not registered");
    }

    private OperationOutcome rejected(Bundle b) {
        BaseServerResponseException e = catchThrowableOfType(
                () -> ehr().transaction().withBundle(b).execute(), UnprocessableEntityException.class);
        assertThat(e).as("the gateway should answer 422").isNotNull();
        assertThat(e.getStatusCode()).isEqualTo(422);
        return (OperationOutcome) e.getOperationOutcome();
    }

    private static List<OperationOutcome.OperationOutcomeIssueComponent> errors(OperationOutcome oo) {
        return oo.getIssue().stream()
                .filter(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR)
                .toList();
    }

    private static String expression(OperationOutcome.OperationOutcomeIssueComponent issue) {
        return issue.getExpression().stream()
                .map(StringType::getValue)
                .findFirst()
                .orElse("");
    }

    private static String entryPath(Bundle b, Resource r) {
        for (int i = 0; i < b.getEntry().size(); i++) {
            if (b.getEntry().get(i).getResource() == r) {
                return "Bundle.entry[" + i + "].resource";
            }
        }
        throw new AssertionError("resource not in bundle");
    }

    private void assertInboundKept(String outcome) {
        assertThat(inboundContaining(bundle.getIdentifier().getValue()))
                .hasValueSatisfying(m -> assertThat(m.outcome()).isEqualTo(outcome));
    }

    private java.util.Optional<InboundMessage> inboundContaining(String marker) {
        return store.recentInbound(50).stream()
                .filter(m -> new String(m.body(), StandardCharsets.UTF_8).contains(marker))
                .findFirst();
    }
}
