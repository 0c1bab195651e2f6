package nl.wmogateway.app;

import nl.wmogateway.trust.StoreException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * A start that fails on a key- or truststore (a wrong password or PIN, a missing file, a token that
 * cannot be reached, no key under the alias) or on the production guard is reported as one plain
 * message, what it concerns and what to do, instead of a stack trace: Spring Boot prints a failure
 * analysis without the exception's frames (they are logged at DEBUG). The messages name the file or
 * token, never a password or PIN.
 */
final class StartupFailures implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StoreException store) {
                return new FailureAnalysis(
                        store.getMessage(),
                        "Check the key- and truststore settings (wmo.tls.*, and wmo.signing.* for a separate signing"
                                + " key): the file, its password, the key alias; for a PKCS#11 token its SunPKCS11"
                                + " configuration file, the token in its slot and the PIN (docs/certificates.md).",
                        store);
            }
            if (t instanceof ProductionGuard.Refusal refusal) {
                return new FailureAnalysis(
                        refusal.getMessage(),
                        "Replace the example material and settings listed, or start the demo with the profile "
                                + ProductionGuard.DEMO_PROFILE + " (docs/certificates.md).",
                        refusal);
            }
        }
        return null;
    }
}
