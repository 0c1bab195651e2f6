package nl.wmogateway.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import nl.wmogateway.trust.KeyStoreType;
import nl.wmogateway.trust.RevocationMode;
import nl.wmogateway.trust.TlsContexts.KeyStoreFile;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The gateway's own settings ({@code wmo.*} in application.yaml or environment variables such as
 * {@code WMO_TLS_KEYSTORE_PASSWORD}). Safe defaults run the demo from the project directory.
 *
 * @param partnersFile the integrator's partner configuration
 * @param profilesDir  the FHIR profiles loaded into the validator
 * @param tls          the gateway's own certificate and the trust anchors, for both directions
 * @param signing      a signing key apart from the TLS key, if one is configured (docs/certificates.md)
 * @param delivery     retry policy for deliveries to gemeenten
 * @param trust        how partners' certificates are checked beyond the chain (docs/certificates.md)
 * @param instanceId   this gateway instance's name among instances sharing one database and broker;
 *                     empty: the host name and server port (docs/high-availability.md)
 * @param storage      the keys that encrypt what is stored about clients (docs/privacy.md)
 * @param retention    how long each kind of stored data is kept (docs/privacy.md)
 */
@Validated
@ConfigurationProperties("wmo")
public record WmoProperties(
        @DefaultValue("routes/partners.yaml") @NotNull Path partnersFile,
        @DefaultValue("profiles") @NotNull Path profilesDir,
        @Valid @NotNull @DefaultValue Tls tls,
        @Valid @NotNull @DefaultValue Signing signing,
        @Valid @NotNull @DefaultValue Delivery delivery,
        @Valid @NotNull @DefaultValue Trust trust,
        @DefaultValue("") String instanceId,
        @Valid @NotNull @DefaultValue Storage storage,
        @Valid @NotNull @DefaultValue Retention retention) {

    /**
     * @param keystore           PKCS#12 with the gateway's key and certificate chain (not used with a PKCS#11 token)
     * @param keystorePassword   its password (from the environment in production); for a PKCS#11 token its user PIN
     * @param keyAlias           the alias of the key to present, when the keystore or token holds several
     * @param truststore         PKCS#12 with the CA certificates partners are trusted under
     * @param truststorePassword its password
     * @param keystoreType       PKCS12 (the file {@code keystore}) or PKCS11 (the token {@code pkcs11Config} describes)
     * @param pkcs11Config       for PKCS11: the SunPKCS11 configuration file of the token (library, slot)
     */
    public record Tls(
            @DefaultValue("certs-example/gateway.p12") Path keystore,
            @DefaultValue("changeit") String keystorePassword,
            @DefaultValue("") String keyAlias,
            @DefaultValue("certs-example/truststore.p12") Path truststore,
            @DefaultValue("changeit") String truststorePassword,
            @DefaultValue("PKCS12") KeyStoreType keystoreType,
            Path pkcs11Config) {

        public Tls {
            keystoreType = keystoreType == null ? KeyStoreType.PKCS12 : keystoreType;
            requireStore("wmo.tls", keystore, keystoreType, pkcs11Config);
        }

        /** The gateway's TLS key as configured: the keystore file or the PKCS#11 token, and the alias. */
        public KeyStoreFile identity() {
            return WmoProperties.identity(keystore, keystorePassword, keyAlias, keystoreType, pkcs11Config);
        }

        @Override
        public String toString() {
            return "Tls[" + identity() + ", truststore=" + truststore + "]";
        }
    }

    /**
     * A key of its own for the signatures over what the gateway sends, apart from its TLS key (for
     * example a certificate with nonRepudiation kept in an HSM). Not configured (no keystore and no
     * PKCS#11 configuration): the TLS key signs.
     *
     * @param keystore         PKCS#12 with the signing key and its certificate chain
     * @param keystorePassword its password; for a PKCS#11 token its user PIN
     * @param keyAlias         the alias of the signing key, when the keystore or token holds several
     * @param keystoreType     PKCS12 (the file {@code keystore}) or PKCS11 (the token {@code pkcs11Config} describes)
     * @param pkcs11Config     for PKCS11: the SunPKCS11 configuration file of the token
     */
    public record Signing(
            Path keystore,
            @DefaultValue("") String keystorePassword,
            @DefaultValue("") String keyAlias,
            @DefaultValue("PKCS12") KeyStoreType keystoreType,
            Path pkcs11Config) {

        public Signing {
            keystorePassword = keystorePassword == null ? "" : keystorePassword;
            keyAlias = keyAlias == null ? "" : keyAlias;
            keystoreType = keystoreType == null ? KeyStoreType.PKCS12 : keystoreType;
            if (keystore != null || keystoreType == KeyStoreType.PKCS11) {
                requireStore("wmo.signing", keystore, keystoreType, pkcs11Config);
            }
        }

        /** The signing key as configured; empty: none of its own, the TLS key signs. */
        public Optional<KeyStoreFile> identity() {
            if (keystore == null && keystoreType == KeyStoreType.PKCS12) {
                return Optional.empty();
            }
            return Optional.of(
                    WmoProperties.identity(keystore, keystorePassword, keyAlias, keystoreType, pkcs11Config));
        }

        @Override
        public String toString() {
            return "Signing[" + identity().map(KeyStoreFile::toString).orElse("the TLS key") + "]";
        }
    }

    private static void requireStore(String prefix, Path keystore, KeyStoreType type, Path pkcs11Config) {
        if (type == KeyStoreType.PKCS11 && pkcs11Config == null) {
            throw new IllegalArgumentException(prefix + ".keystore-type is PKCS11, but " + prefix
                    + ".pkcs11-config (the SunPKCS11 configuration file of the token) is not set");
        }
        if (type == KeyStoreType.PKCS12 && keystore == null) {
            throw new IllegalArgumentException(prefix + ".keystore (the PKCS#12 file) is not set");
        }
    }

    private static KeyStoreFile identity(
            Path keystore, String password, String alias, KeyStoreType type, Path pkcs11Config) {
        Optional<String> chosen = Optional.ofNullable(alias);
        char[] secret = password == null ? new char[0] : password.toCharArray();
        return type == KeyStoreType.PKCS11
                ? KeyStoreFile.token(pkcs11Config, secret, chosen)
                : new KeyStoreFile(keystore, secret, chosen);
    }

    /**
     * @param initialDelay  wait before the first retry of a failed delivery
     * @param multiplier    each further retry waits this many times longer
     * @param maxDelay      the longest wait between retries
     * @param maxAttempts   attempts before the request is marked failed (and can be replayed)
     * @param timeout       how long one HTTP call to a partner may take
     * @param consumersPerPartner at most this many deliveries to one partner at once (each partner
     *                      has its own queue and consumers, so a slow partner delays only itself)
     * @param lease         how long an instance holds a delivery it works on without renewing it;
     *                      renewed every quarter of it, so a crashed instance's work is taken over
     *                      by another instance after at most this long
     * @param pollInterval  how often the relay looks for deliveries that are due (new, retried,
     *                      or never put on the broker)
     * @param republishAfter a due delivery whose ticket is older than this is put on the broker again
     *                      (a ticket lost with a broker, or stuck behind a long queue)
     * @param consumerGrace how long a partner's consumer may stay disconnected from the broker
     *                      before liveness reports DOWN
     */
    public record Delivery(
            @DefaultValue("5s") Duration initialDelay,
            @DefaultValue("2.0") double multiplier,
            @DefaultValue("10m") Duration maxDelay,
            @DefaultValue("50") @Min(1) int maxAttempts,
            @DefaultValue("30s") Duration timeout,
            @DefaultValue("2") @Min(1) int consumersPerPartner,
            @DefaultValue("20s") Duration lease,
            @DefaultValue("1s") Duration pollInterval,
            @DefaultValue("1m") Duration republishAfter,
            @DefaultValue("60s") Duration consumerGrace) {

        /** The wait before attempt {@code attempt + 1}, after {@code attempt} attempts failed. */
        public Duration backoff(int attempt) {
            double millis = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
            return Duration.ofMillis((long) Math.min(millis, (double) maxDelay.toMillis()));
        }
    }

    /**
     * Certificate checks in every TLS handshake, inbound and outbound (docs/certificates.md).
     *
     * @param revocationMode HARD_FAIL: without a current CRL of the issuing CA the certificate is
     *                       refused; SOFT_FAIL: accepted with a warning; OFF: no revocation check
     * @param crlSources     where the CRLs come from: files, {@code file:} URIs or http(s) URLs (PEM or DER)
     * @param crlRefresh     how often all CRLs are loaded again (also just after each CRL's nextUpdate)
     * @param crlTimeout     how long fetching one CRL over http(s) may take
     * @param resultCache    how long a verdict on a certificate chain is reused, and how long a TLS
     *                       session may be resumed without a new check
     * @param expiryWarning  warn when the gateway's certificate or a trusted CA expires within this period
     */
    public record Trust(
            @DefaultValue("HARD_FAIL") @NotNull RevocationMode revocationMode,
            @DefaultValue List<String> crlSources,
            @DefaultValue("1h") @NotNull Duration crlRefresh,
            @DefaultValue("10s") @NotNull Duration crlTimeout,
            @DefaultValue("5m") @NotNull Duration resultCache,
            @DefaultValue("30d") @NotNull Duration expiryWarning) {

        public Trust {
            crlSources = crlSources == null ? List.of() : List.copyOf(crlSources);
        }
    }

    /**
     * Encryption at rest (docs/privacy.md "Encryption at rest").
     *
     * @param keys       {@code id:base64} entries, comma-separated (WMO_STORAGE_KEYS): 32-byte AES keys,
     *                   the first the current one, and {@code pseudonym:base64}, the key that pseudonymises a BSN
     * @param keysFile   the same entries in a file, one per line (used when {@code keys} is empty)
     * @param currentKey the id of the key new values are sealed with; empty: the first listed
     */
    public record Storage(
            @DefaultValue("") String keys,
            @DefaultValue("") String keysFile,
            @DefaultValue("") String currentKey) {

        @Override
        public String toString() {
            return "Storage[keysFile=" + keysFile + ", currentKey=" + currentKey + "]";
        }
    }

    /**
     * How long stored data is kept (docs/privacy.md "Retention").
     *
     * @param inboundBodies  raw bodies as received (a Bundle with everything the EHR sent): only for
     *                       diagnosing a refusal, so short; the row with its outcome and hash stays
     * @param closedRequests a request in a final state (answered, rejected, withdrawn), with its plan,
     *                       renderings, messages and beschikkingen, after its last change
     * @param audit          audit records; NEN 7513 asks for at least five years
     * @param interval       how often the housekeeping runs (one instance at a time)
     */
    public record Retention(
            @DefaultValue("14d") @NotNull Duration inboundBodies,
            @DefaultValue("180d") @NotNull Duration closedRequests,
            @DefaultValue("1830d") @NotNull Duration audit,
            @DefaultValue("1h") @NotNull Duration interval) {}
}
