package nl.wmogateway.support;

import java.time.LocalDate;
import java.util.UUID;
import nl.wmogateway.fixtures.TestBundles;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;

/** Valid requests for tests against the running gateway, which uses the real clock. */
public final class Requests {

    private Requests() {}

    /** The BSN of the request's Patient. */
    public static String bsn(Bundle bundle) {
        return TestBundles.find(bundle, Patient.class).getIdentifierFirstRep().getValue();
    }

    /** A BSN that passes the 11-proef, different every call (one open request per client is allowed). */
    public static String randomBsn() {
        while (true) {
            int[] d = new int[9];
            d[0] = 1 + RANDOM.nextInt(9);
            int sum = 0;
            for (int i = 0; i < 8; i++) {
                if (i > 0) {
                    d[i] = RANDOM.nextInt(10);
                }
                sum += (9 - i) * d[i];
            }
            int last = sum % 11;
            if (last <= 9) {
                d[8] = last; // 9*d1 + ... + 2*d8 - d9 ≡ 0 (mod 11)
                StringBuilder sb = new StringBuilder();
                for (int x : d) {
                    sb.append(x);
                }
                return sb.toString();
            }
        }
    }

    private static final java.util.Random RANDOM = new java.util.Random();

    /**
     * The fixture request with a Bundle.identifier of its own (so it is a new request), a client of
     * its own (a random valid BSN) and a consent valid from last year to next year.
     */
    public static Bundle fresh() {
        Bundle bundle = TestBundles.valid();
        TestBundles.find(bundle, Patient.class).getIdentifierFirstRep().setValue(randomBsn());
        bundle.getIdentifier().setValue("test-" + UUID.randomUUID());
        Consent consent = TestBundles.find(bundle, Consent.class);
        consent.getProvision()
                .setPeriod(new Period()
                        .setStartElement(
                                new DateTimeType(LocalDate.now().minusYears(1).toString()))
                        .setEndElement(
                                new DateTimeType(LocalDate.now().plusYears(1).toString())));
        return bundle;
    }

    /** {@link #fresh()}, addressed to another connected gemeente (its Task owner and the Consent's recipient). */
    public static Bundle freshFor(String gemeentecode) {
        Bundle bundle = fresh();
        TestBundles.gemeente(bundle).getIdentifierFirstRep().setValue(gemeentecode);
        return bundle;
    }
}
