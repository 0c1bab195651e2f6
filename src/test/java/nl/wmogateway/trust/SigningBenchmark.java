package nl.wmogateway.trust;

import static nl.wmogateway.trust.SigningFixtures.GATEWAY;
import static nl.wmogateway.trust.SigningFixtures.ROOT;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * What a detached CMS signature costs per message: sign a 10 kB payload, verify it against the
 * pinned partner certificate, and verify it with the embedded certificate and a PKIX chain, as
 * medians of {@code n} after a warm-up. A harness that prints figures, not a test:
 * {@code mvn -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=nl.wmogateway.trust.SigningBenchmark -Dexec.args=500}.
 */
public final class SigningBenchmark {

    private SigningBenchmark() {}

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        PayloadSigner signer = SigningFixtures.gatewaySigner();
        SignatureVerifier pinnedOnly = SignatureVerifier.trusting(List.of());
        SignatureVerifier trusting = SignatureVerifier.trusting(List.of(ROOT.certificate()));
        byte[] payload = new byte[10 * 1024];
        new Random(10240L).nextBytes(payload);
        for (int i = 0; i < 300; i++) {
            pinnedOnly.verify(payload, signer.sign(payload).der(), GATEWAY.certificate());
        }
        long[] sign = new long[runs];
        long[] verifyPinned = new long[runs];
        long[] verifyEmbedded = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            byte[] der = signer.sign(payload).der();
            long t1 = System.nanoTime();
            boolean pinned =
                    pinnedOnly.verify(payload, der, GATEWAY.certificate()).isValid();
            long t2 = System.nanoTime();
            boolean embedded = trusting.verifyWithEmbeddedCertificate(payload, der, s -> true)
                    .isValid();
            long t3 = System.nanoTime();
            if (!pinned || !embedded) {
                throw new IllegalStateException("a signature did not verify");
            }
            sign[i] = t1 - t0;
            verifyPinned[i] = t2 - t1;
            verifyEmbedded[i] = t3 - t2;
        }
        System.out.printf(
                "10 kB payload, RSA 2048, median of %d, one run: sign %.2f ms, verify pinned %.2f ms,"
                        + " verify with embedded certificate and PKIX chain %.2f ms%n",
                runs, median(sign), median(verifyPinned), median(verifyEmbedded));
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }
}
