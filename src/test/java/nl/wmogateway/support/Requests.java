package nl.wmogateway.support;

import java.time.LocalDate;
import java.util.UUID;
import nl.wmogateway.fixtures.TestBundles;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Period;

/** Valid requests for tests against the running gateway, which uses the real clock. */
public final class Requests {

    private Requests() {
    }

    /**
     * The fixture request with a Bundle.identifier of its own (so it is a new request) and a consent
     * valid from last year to next year.
     */
    public static Bundle fresh() {
        Bundle bundle = TestBundles.valid();
        bundle.getIdentifier().setValue("test-" + UUID.randomUUID());
        Consent consent = TestBundles.find(bundle, Consent.class);
        consent.getProvision().setPeriod(new Period()
                .setStartElement(new DateTimeType(LocalDate.now().minusYears(1).toString()))
                .setEndElement(new DateTimeType(LocalDate.now().plusYears(1).toString())));
        return bundle;
    }
}
