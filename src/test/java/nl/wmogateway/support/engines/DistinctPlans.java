package nl.wmogateway.support.engines;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import nl.wmogateway.fixtures.TestBundles;
import nl.wmogateway.support.Requests;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;

/**
 * Valid plans that are all different requests: each its own {@code Bundle.identifier} and its own
 * client (a BSN that passes the 11-proef, none repeated, since the gateway allows one open request
 * per client). Made once and kept as bytes, so a resubmission sends exactly the same Bundle.
 */
public final class DistinctPlans {

    /** One plan as the EHR sends it. */
    public record Plan(int index, String identifier, String bsn, byte[] json) {}

    private DistinctPlans() {}

    public static List<Plan> make(int count, String runId, long seed) {
        FhirContext fhir = FhirContext.forR4Cached();
        List<String> bsns = bsns(count, new Random(seed));
        List<Plan> plans = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Bundle bundle = Requests.fresh();
            String identifier = runId + "-" + i;
            bundle.getIdentifier().setValue(identifier);
            TestBundles.find(bundle, Patient.class).getIdentifierFirstRep().setValue(bsns.get(i));
            plans.add(new Plan(
                    i,
                    identifier,
                    bsns.get(i),
                    fhir.newJsonParser().encodeResourceToString(bundle).getBytes(StandardCharsets.UTF_8)));
        }
        return plans;
    }

    /** {@code count} different BSNs: consecutive 8-digit prefixes from a random start, each with its check digit. */
    static List<String> bsns(int count, Random random) {
        List<String> bsns = new ArrayList<>(count);
        int prefix = 10_000_000 + random.nextInt(80_000_000);
        while (bsns.size() < count) {
            String digits = Integer.toString(prefix++);
            int sum = 0;
            for (int i = 0; i < 8; i++) {
                sum += (9 - i) * (digits.charAt(i) - '0');
            }
            int check = sum % 11;
            if (check <= 9) {
                bsns.add(digits + check); // 9*d1 + ... + 2*d8 - d9 is then divisible by 11
            }
        }
        return bsns;
    }
}
