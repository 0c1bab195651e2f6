package nl.wmogateway.consent;

import static nl.wmogateway.fixtures.TestBundles.find;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.fixtures.TestBundles;
import nl.wmogateway.plan.Toestemming;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class ConsentGateTest {

    private final ConsentGate gate = ConsentGate.withDefaultRules(TestBundles.clock());

    private ConsentDecision decide(Bundle bundle) {
        return gate.decide(TestBundles.plan(bundle));
    }

    private static Consent consent(Bundle bundle) {
        return find(bundle, Consent.class);
    }

    @Test
    void grantsTheValidRequestWithProofOfConsent() {
        ConsentDecision decision = decide(TestBundles.valid());

        assertThat(decision.granted()).isTrue();
        assertThat(decision.findings()).isEmpty();
        Toestemming proof = decision.toestemming().orElseThrow();
        assertThat(proof.consentId()).isEqualTo(TestBundles.CONSENT_IDENTIFIER);
        assertThat(proof.verleendDoor()).isEqualTo("client");
        assertThat(proof.verleendOp()).isEqualTo(Instant.parse("2025-12-15T13:00:00Z"));
        assertThat(proof.geldigVan()).isEqualTo(LocalDate.of(2026, 1, 1));
        assertThat(proof.geldigTot()).contains(LocalDate.of(2027, 12, 31));
        assertThat(proof.doel()).isEqualTo("wmo-aanvraag");
        assertThat(proof.ontvanger()).isEqualTo("0153");
    }

    @Test
    void proofCarriesTheFormsHashesButNotTheForm() throws Exception {
        Toestemming.Formulier form = decide(TestBundles.valid())
                .toestemming()
                .orElseThrow()
                .formulier()
                .orElseThrow();

        assertThat(form.titel()).isEqualTo("Toestemmingsformulier Wmo");
        assertThat(form.contentType()).isEqualTo("application/pdf");
        assertThat(form.sha256())
                .contains(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(TestBundles.FORM_PDF)));
        assertThat(form.sha1()).contains(Base64.getEncoder().encodeToString(TestBundles.sha1(TestBundles.FORM_PDF)));
        assertThat(form.url()).isEmpty();
    }

    @Test
    void refusesARequestWithoutConsent() {
        Bundle bundle = TestBundles.valid();
        TestBundles.remove(bundle, consent(bundle));

        ConsentDecision decision = decide(bundle);

        assertThat(decision.granted()).isFalse();
        assertThat(decision.findings()).singleElement().satisfies(f -> {
            assertThat(f.isError()).isTrue();
            assertThat(f.code()).isEqualTo("security");
            assertThat(f.message())
                    .isEqualTo("no Consent in the Bundle: the client's consent to share the plan with "
                            + "gemeente 0153 for purpose wmo-aanvraag is required");
        });
    }

    @Test
    void refusesAConsentForAnotherGemeente() {
        Bundle bundle = TestBundles.valid();
        consent(bundle)
                .getProvision()
                .getActorFirstRep()
                .setReference(new Reference()
                        .setIdentifier(new Identifier()
                                .setSystem(TestBundles.GEMEENTECODE_SYSTEM)
                                .setValue("0363")));

        assertThat(decide(bundle).findings()).singleElement().satisfies(f -> {
            assertThat(f.message()).isEqualTo("Consent is for gemeente 0363, but the request is addressed to 0153");
            assertThat(f.expression()).startsWith("Bundle.entry[20].resource");
        });
    }

    @Test
    void refusesAnExpiredConsent() {
        ConsentGate later = ConsentGate.withDefaultRules(TestBundles.clockAt(LocalDate.of(2028, 1, 15)));

        ConsentDecision decision = later.decide(TestBundles.plan());

        assertThat(decision.granted()).isFalse();
        assertThat(decision.findings()).extracting(Finding::message).containsExactly("Consent expired on 2027-12-31");
    }

    @Test
    void refusesAConsentThatIsNotYetValid() {
        Bundle bundle = TestBundles.valid();
        consent(bundle).getProvision().getPeriod().setStartElement(new DateTimeType("2026-06-01"));

        assertThat(decide(bundle).findings())
                .extracting(Finding::message)
                .containsExactly("Consent is not yet valid: it starts on 2026-06-01");
    }

    @Test
    void refusesAWithdrawnConsent() {
        Bundle bundle = TestBundles.valid();
        consent(bundle).setStatus(Consent.ConsentState.INACTIVE);

        assertThat(decide(bundle).findings())
                .singleElement()
                .extracting(Finding::expression)
                .isEqualTo("Bundle.entry[20].resource.status");
    }

    @Test
    void refusesAConsentForAnotherPurpose() {
        Bundle bundle = TestBundles.valid();
        consent(bundle)
                .getProvision()
                .getPurposeFirstRep()
                .setSystem("http://terminology.hl7.org/CodeSystem/v3-ActReason")
                .setCode("COC");

        assertThat(decide(bundle).findings())
                .singleElement()
                .extracting(Finding::expression)
                .isEqualTo("Bundle.entry[20].resource.provision.purpose");
    }

    @Test
    void refusesAConsentOfAnotherPatient() {
        Bundle bundle = TestBundles.valid();
        consent(bundle)
                .setPatient(new Reference()
                        .setIdentifier(new Identifier()
                                .setSystem(TestBundles.BSN_SYSTEM)
                                .setValue("111222333")));

        assertThat(decide(bundle).findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("security");
            assertThat(f.expression()).isEqualTo("Bundle.entry[20].resource.patient");
        });
    }

    @Test
    void grantsConsentGivenByARepresentative() {
        Bundle bundle = TestBundles.valid();
        consent(bundle).getPerformer().clear();
        consent(bundle).addPerformer(TestBundles.ref("partner"));

        ConsentDecision decision = decide(bundle);

        assertThat(decision.toestemming())
                .hasValueSatisfying(t -> assertThat(t.verleendDoor()).isEqualTo("vertegenwoordiger"));
    }

    @Test
    void refusesAConsentWithoutFormWhenTheGemeenteRequiresIt() {
        List<String> rules = new ArrayList<>(ConsentGate.DEFAULT_RULE_IDS);
        rules.add(FormPresentRule.ID);
        ConsentGate strict = ConsentGate.forRuleIds(rules, TestBundles.clock());
        Bundle bundle = TestBundles.valid();
        consent(bundle).setSource(null);

        ConsentDecision decision = strict.decide(TestBundles.plan(bundle));

        assertThat(decision.granted()).isFalse();
        assertThat(decision.findings())
                .singleElement()
                .extracting(Finding::expression)
                .isEqualTo("Bundle.entry[20].resource.source");
    }

    @Test
    void grantsAConsentWithoutFormByDefault() {
        Bundle bundle = TestBundles.valid();
        consent(bundle).setSource(null);

        ConsentDecision decision = decide(bundle);

        assertThat(decision.toestemming())
                .hasValueSatisfying(t -> assertThat(t.formulier()).isEmpty());
    }

    @Test
    void grantsWhenOneOfSeveralConsentsQualifies() {
        Bundle bundle = TestBundles.valid();
        Consent withdrawn = consent(bundle).copy().setStatus(Consent.ConsentState.INACTIVE);
        bundle.getEntry()
                .add(
                        0,
                        new Bundle.BundleEntryComponent()
                                .setFullUrl(TestBundles.urn("withdrawn"))
                                .setResource(withdrawn));

        assertThat(decide(bundle).granted()).isTrue();
    }

    @Test
    void explainsWhyTheBestCandidateFailsWhenNoConsentQualifies() {
        Bundle bundle = TestBundles.valid();
        Consent otherGemeente = consent(bundle);
        otherGemeente
                .getProvision()
                .getActorFirstRep()
                .setReference(new Reference()
                        .setIdentifier(new Identifier()
                                .setSystem(TestBundles.GEMEENTECODE_SYSTEM)
                                .setValue("0363")));
        Consent worse = otherGemeente.copy().setStatus(Consent.ConsentState.INACTIVE);
        worse.getProvision().getPurpose().set(0, new Coding("http://example.org", "other", null));
        bundle.getEntry()
                .add(
                        0,
                        new Bundle.BundleEntryComponent()
                                .setFullUrl(TestBundles.urn("worse"))
                                .setResource(worse));

        ConsentDecision decision = decide(bundle);

        assertThat(decision.findings()).singleElement().satisfies(f -> {
            assertThat(f.message()).isEqualTo("Consent is for gemeente 0363, but the request is addressed to 0153");
            assertThat(f.expression()).isEqualTo(TestBundles.pathOf(bundle, otherGemeente) + ".provision.actor[0]");
        });
    }

    @Test
    void refusesWithErrorsOnlyCodedSecurityOrBusinessRule() {
        Bundle bundle = TestBundles.valid();
        Consent consent = consent(bundle);
        consent.setStatus(Consent.ConsentState.REJECTED)
                .setDateTimeElement(null)
                .getPerformer()
                .clear();
        consent.getProvision().getPurpose().clear();

        assertThat(decide(bundle).findings()).hasSize(3).allSatisfy(f -> {
            assertThat(f.isError()).isTrue();
            assertThat(f.code()).isIn("security", "business-rule");
        });
    }

    @Test
    void appliesAllRulesButTheFormRequirementByDefault() {
        assertThat(gate.ruleIds())
                .doesNotContain(FormPresentRule.ID)
                .contains(
                        StatusActiveRule.ID,
                        PermitRule.ID,
                        SamePatientRule.ID,
                        RecipientGemeenteRule.ID,
                        PurposeRule.ID,
                        PeriodRule.ID,
                        RepresentativeRule.ID);
    }

    @Test
    void rejectsAnUnknownRuleIdSoAConfigurationTypoFailsEarly() {
        assertThatThrownBy(() -> ConsentGate.forRuleIds(List.of("perod"), TestBundles.clock()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("perod");
    }
}
