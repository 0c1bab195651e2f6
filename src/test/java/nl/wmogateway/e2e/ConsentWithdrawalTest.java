package nl.wmogateway.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.PreferReturnEnum;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.time.Duration;
import nl.wmogateway.fixtures.TestBundles;
import nl.wmogateway.store.RequestStatus;
import nl.wmogateway.support.GatewayTestBase;
import nl.wmogateway.support.Requests;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

/** A client withdraws consent: nothing more leaves the gateway, and the gemeente is told about what already did. */
class ConsentWithdrawalTest extends GatewayTestBase {

    @Test
    void consentWithdrawnWhileTheGemeenteIsDownStopsTheRequestForGood() {
        gemeenteDown();
        Bundle bundle = withOwnConsent(Requests.fresh());
        String taskId = submit(bundle);
        awaitBusinessStatus(taskId, "retrying");

        MethodOutcome outcome = withdraw(bundle);

        assertThat(((OperationOutcome) outcome.getOperationOutcome())
                        .getIssueFirstRep()
                        .getDiagnostics())
                .contains("1 request(s) stopped")
                .contains(taskId);
        Task task = awaitBusinessStatus(taskId, "withdrawn");
        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.CANCELLED);
        assertThat(task.getStatusReason().getText())
                .contains("withdrew consent")
                .contains("not delivered");

        gemeenteBack();
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(5))
                .until(() -> GEMEENTE.findAll(
                                postRequestedFor(anyUrl()).withHeader("X-Wmo-Request-Id", equalTo(taskId)))
                        .isEmpty());
        assertThat(store.request(taskId).orElseThrow().status()).isEqualTo(RequestStatus.WITHDRAWN);
    }

    @Test
    void consentWithdrawnAfterDeliveryIsReportedToTheGemeente() {
        Bundle bundle = withOwnConsent(Requests.fresh());
        String taskId = submit(bundle);
        awaitBusinessStatus(taskId, "delivered");

        withdraw(bundle);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> !GEMEENTE.findAll(postRequestedFor(urlEqualTo("/wmo/toestemming-ingetrokken"))
                                .withHeader("X-Wmo-Request-Id", equalTo(taskId)))
                        .isEmpty());
        String report = GEMEENTE.findAll(postRequestedFor(urlEqualTo("/wmo/toestemming-ingetrokken")))
                .get(0)
                .getBodyAsString();
        assertThat(report).contains(taskId).doesNotContain(Requests.bsn(bundle));
    }

    @Test
    void aWithdrawalThatArrivesWhileThePlanIsOnItsWayIsReportedToTheGemeente() {
        GEMEENTE.resetAll();
        GEMEENTE.stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(anyUrl())
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                        .withStatus(202)));
        GEMEENTE.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/wmo/ondersteuningsplannen"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                        .withStatus(202)
                        .withFixedDelay(3000)));
        Bundle bundle = withOwnConsent(Requests.fresh());
        String taskId = submit(bundle);
        // the attempt is written before the POST leaves: from here the plan is on its way
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !jobs.attempts(taskId).isEmpty());

        MethodOutcome outcome = withdraw(bundle);

        assertThat(((OperationOutcome) outcome.getOperationOutcome())
                        .getIssueFirstRep()
                        .getDiagnostics())
                .contains("1 request(s) stopped");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !GEMEENTE.findAll(postRequestedFor(urlEqualTo("/wmo/toestemming-ingetrokken"))
                                .withHeader("X-Wmo-Request-Id", equalTo(taskId)))
                        .isEmpty());
        assertThat(audit.forRequest(taskId))
                .anySatisfy(e -> assertThat(e.detail().orElse("")).contains("while the plan was being delivered"));
        assertThat(store.request(taskId).orElseThrow().status()).isEqualTo(RequestStatus.WITHDRAWN);
    }

    @org.springframework.beans.factory.annotation.Autowired
    private nl.wmogateway.store.DeliveryJobs jobs;

    @org.springframework.beans.factory.annotation.Autowired
    private nl.wmogateway.store.AuditLog audit;

    @Test
    void aPlanWithAWithdrawnConsentIsRefused() {
        Bundle bundle = withOwnConsent(Requests.fresh());
        String consentId =
                TestBundles.find(bundle, Consent.class).getIdentifierFirstRep().getValue();
        submit(bundle);
        withdraw(bundle);
        Bundle again = Requests.fresh();
        TestBundles.find(again, Consent.class).getIdentifierFirstRep().setValue(consentId);

        UnprocessableEntityException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> ehr().transaction().withBundle(again).execute(), UnprocessableEntityException.class);

        assertThat(((OperationOutcome) e.getOperationOutcome())
                        .getIssueFirstRep()
                        .getDiagnostics())
                .contains("withdrawn");
    }

    @Test
    void aConsentThatStillAllowsSharingChangesNothing() {
        Bundle bundle = withOwnConsent(Requests.fresh());
        String taskId = submit(bundle);
        Consent still = TestBundles.find(bundle, Consent.class).copy();

        MethodOutcome outcome = ehr().update()
                .resource(still)
                .withId("c-" + taskId)
                .prefer(PreferReturnEnum.OPERATION_OUTCOME)
                .execute();

        assertThat(((OperationOutcome) outcome.getOperationOutcome())
                        .getIssueFirstRep()
                        .getDiagnostics())
                .contains("nothing changed");
    }

    /** Each test's request rests on a Consent of its own, so withdrawals do not touch other tests. */
    private static Bundle withOwnConsent(Bundle bundle) {
        TestBundles.find(bundle, Consent.class)
                .getIdentifierFirstRep()
                .setValue("consent-" + bundle.getIdentifier().getValue());
        return bundle;
    }

    private MethodOutcome withdraw(Bundle bundle) {
        Consent withdrawn = TestBundles.find(bundle, Consent.class).copy();
        withdrawn.setStatus(Consent.ConsentState.INACTIVE);
        return ehr().update()
                .resource(withdrawn)
                .withId("c1")
                .prefer(PreferReturnEnum.OPERATION_OUTCOME)
                .execute();
    }
}
