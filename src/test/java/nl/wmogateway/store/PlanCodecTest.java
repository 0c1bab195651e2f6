package nl.wmogateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import nl.wmogateway.plan.Ondersteuningsplan;
import nl.wmogateway.plan.TestPlans;
import org.junit.jupiter.api.Test;

class PlanCodecTest {

    private final PlanCodec codec = new PlanCodec();

    @Test
    void aStoredPlanReadsBackAsTheSamePlan() {
        Ondersteuningsplan plan = TestPlans.example();

        assertThat(codec.read(codec.write(plan))).isEqualTo(plan);
    }

    @Test
    void aPlanStoredWhenTheRequestIdWasCalledPlanIdStillReads() {
        Ondersteuningsplan plan = TestPlans.example();
        String stored = codec.write(plan);
        assertThat(stored).contains("\"requestId\":\"" + plan.requestId() + "\"");

        Ondersteuningsplan read = codec.read(stored.replace("\"requestId\":", "\"planId\":"));

        assertThat(read).isEqualTo(plan);
    }
}
