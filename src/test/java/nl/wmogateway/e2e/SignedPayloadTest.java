package nl.wmogateway.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import nl.wmogateway.fixtures.TestBundles;
import nl.wmogateway.store.AuditLog;
import nl.wmogateway.support.GatewayTestBase;
import nl.wmogateway.support.Requests;
import nl.wmogateway.support.TestPkiFiles;
import nl.wmogateway.trust.DetachedSignature;
import nl.wmogateway.trust.PayloadSigner;
import nl.wmogateway.trust.SignatureVerifier;
import nl.wmogateway.trust.Verification;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** What leaves the gateway is signed; what a signing partner sends is checked. */
class SignedPayloadTest extends GatewayTestBase {

    /** The receiver has only the gateway's public certificate. */
    private final SignatureVerifier receiver = SignatureVerifier.trusting(List.of());

    @Autowired
    private AuditLog audit;

    @Test
    void aDeliveredPlanVerifiesWithOnlyThePublicCertificateAndASingleChangedByteIsDetected() throws Exception {
        String taskId = delivered(Requests.fresh());
        LoggedRequest plan = GEMEENTE.findAll(postRequestedFor(urlEqualTo("/wmo/ondersteuningsplannen"))
                        .withHeader("X-Wmo-Request-Id", equalTo(taskId)))
                .get(0);

        assertSignedByGateway(plan);
    }

    @Test
    void aDeliveredWmo301VerifiesWithOnlyThePublicCertificateAndASingleChangedByteIsDetected() throws Exception {
        String taskId = delivered(Requests.fresh());
        grantFirstRejectSecond(taskId, 6001);

        LoggedRequest wmo301 = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> ZORG.findAll(postRequestedFor(urlEqualTo("/iwmo/wmo301"))
                                .withHeader("X-Wmo-Request-Id", equalTo(taskId))),
                        l -> !l.isEmpty())
                .get(0);

        assertSignedByGateway(wmo301);
    }

    @Test
    void aPlanSignedByTheSendingOrganisationIsAccepted() throws Exception {
        byte[] body = otherOrganisationsPlan();
        DetachedSignature signature = PayloadSigner.fromKeystore(
                        TestPkiFiles.OTHER_EHR, TestPkiFiles.PASSWORD.toCharArray(), Optional.empty())
                .sign(body);

        HttpResponse<String> response = submitSigned(body, signature);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void aPlanWhoseSignatureDoesNotMatchItsBytesIsRefused() throws Exception {
        byte[] body = otherOrganisationsPlan();
        byte[] other = body.clone();
        other[other.length / 2] ^= 1;
        DetachedSignature signature = PayloadSigner.fromKeystore(
                        TestPkiFiles.OTHER_EHR, TestPkiFiles.PASSWORD.toCharArray(), Optional.empty())
                .sign(other);

        HttpResponse<String> response = submitSigned(body, signature);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("digest-mismatch");
        assertThat(audit.recent(200)).as("the refusal is in the audit trail").anySatisfy(e -> {
            assertThat(e.actor()).isEqualTo("zorgorganisatie:23456789");
            assertThat(e.action()).isEqualTo("SUBMIT");
            assertThat(e.outcome()).isEqualTo("SIGNATURE_DIGEST_MISMATCH");
        });
    }

    @Test
    void aConsentUpdateFromAPartnerThatMustSignIsRefusedUnsignedAndAcceptedSigned() throws Exception {
        Consent withdrawn = TestBundles.find(Requests.fresh(), Consent.class).copy();
        withdrawn.getIdentifierFirstRep().setValue("consent-signed-" + System.nanoTime());
        withdrawn.setStatus(Consent.ConsentState.INACTIVE);
        withdrawn.setId("signed");
        byte[] body = FhirContext.forR4Cached()
                .newJsonParser()
                .encodeResourceToString(withdrawn)
                .getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> unsigned = putConsent(body, Optional.empty());

        assertThat(unsigned.statusCode()).as(unsigned.body()).isEqualTo(403);
        assertThat(unsigned.body()).contains("signature missing");
        assertThat(audit.recent(200)).anySatisfy(e -> {
            assertThat(e.actor()).isEqualTo("zorgorganisatie:34567890");
            assertThat(e.action()).isEqualTo("CONSENT_UPDATE");
            assertThat(e.outcome()).isEqualTo("SIGNATURE_MISSING");
        });

        DetachedSignature signature = PayloadSigner.fromKeystore(
                        TestPkiFiles.SIGNING_EHR, TestPkiFiles.PASSWORD.toCharArray(), Optional.empty())
                .sign(body);
        HttpResponse<String> signed = putConsent(body, Optional.of(signature));

        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
        assertThat(signed.body()).contains("consent withdrawn");
    }

    @Test
    void aPlanSignedByAnotherPartyThanTheSenderIsRefused() throws Exception {
        byte[] body = otherOrganisationsPlan();
        DetachedSignature signature = PayloadSigner.fromKeystore(
                        TestPkiFiles.EHR, TestPkiFiles.PASSWORD.toCharArray(), Optional.empty())
                .sign(body);

        HttpResponse<String> response = submitSigned(body, signature);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("wrong-signer");
    }

    private void assertSignedByGateway(LoggedRequest request) throws Exception {
        X509Certificate gateway = gatewayCertificate();
        assertThat(request.getHeader(DetachedSignature.ALGORITHM_HEADER)).isEqualTo(DetachedSignature.ALGORITHM);
        byte[] der = DetachedSignature.fromBase64(request.getHeader(DetachedSignature.HEADER))
                .der();
        byte[] body = request.getBody();

        Verification ok = receiver.verify(body, der, gateway);
        byte[] changed = body.clone();
        changed[changed.length / 2] ^= 1;
        Verification tampered = receiver.verify(changed, der, gateway);

        assertThat(ok.isValid()).as(ok.detail()).isTrue();
        assertThat(tampered.isValid()).isFalse();
        assertThat(tampered.code()).isEqualTo("digest-mismatch");
    }

    private static X509Certificate gatewayCertificate() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(TestPkiFiles.GATEWAY)) {
            ks.load(in, TestPkiFiles.PASSWORD.toCharArray());
        }
        return (X509Certificate) ks.getCertificate(ks.aliases().nextElement());
    }

    private static byte[] otherOrganisationsPlan() {
        Bundle bundle = Requests.fresh();
        for (Organization o : TestBundles.findAll(bundle, Organization.class)) {
            for (Identifier i : o.getIdentifier()) {
                if ("http://fhir.nl/fhir/NamingSystem/agb-z".equals(i.getSystem())) {
                    i.setValue("23456789");
                }
            }
        }
        return FhirContext.forR4Cached()
                .newJsonParser()
                .encodeResourceToString(bundle)
                .getBytes(StandardCharsets.UTF_8);
    }

    private HttpResponse<String> putConsent(byte[] body, Optional<DetachedSignature> signature) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fhirBase() + "/Consent/signed"))
                .header("Content-Type", "application/fhir+json")
                .header("Prefer", "return=OperationOutcome")
                .header("Accept", "application/fhir+json");
        signature.ifPresent(sig -> sig.headers().forEach(b::header));
        return jdkClient(TestPkiFiles.SIGNING_EHR)
                .send(
                        b.PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> submitSigned(byte[] body, DetachedSignature signature) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fhirBase()))
                .header("Content-Type", "application/fhir+json")
                .header("Accept", "application/fhir+json");
        signature.headers().forEach(b::header);
        return jdkClient(TestPkiFiles.OTHER_EHR)
                .send(
                        b.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
