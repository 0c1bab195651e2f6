package nl.wmogateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import nl.wmogateway.config.WmoProperties;
import nl.wmogateway.support.TestPkiFiles;
import nl.wmogateway.trust.KeyMaterial;
import nl.wmogateway.trust.KeyStoreType;
import nl.wmogateway.trust.PayloadSigner;
import nl.wmogateway.trust.SignatureVerifier;
import nl.wmogateway.trust.TrustAnchors;
import nl.wmogateway.trust.Verification;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.mock.env.MockEnvironment;

/**
 * Which key signs what the gateway sends, as {@link TrustConfig} wires it from the settings: the
 * separate signing key when {@code wmo.signing} configures one, otherwise the TLS key.
 */
class SigningKeyTest {

    private static final byte[] PAYLOAD = "{\"resourceType\":\"Ondersteuningsplan\"}".getBytes(StandardCharsets.UTF_8);

    private final TrustConfig config = new TrustConfig();

    @Test
    void withoutASigningKeyTheTlsKeySigns() {
        WmoProperties props = bind(tlsSettings());

        PayloadSigner signer = config.payloadSigner(props, config.gatewayKey(props));

        assertThat(signer.certificate()).isEqualTo(tlsCertificate());
        assertThat(props.signing().identity()).isEmpty();
    }

    @Test
    void aSeparateSigningKeySignsInsteadOfTheTlsKeyAndItsSignaturesVerify() {
        WmoProperties props = bind(tlsSettings()
                .withProperty("wmo.signing.keystore", TestPkiFiles.SIGNING.toString())
                .withProperty("wmo.signing.keystore-password", TestPkiFiles.PASSWORD));
        KeyMaterial tlsKey = config.gatewayKey(props);

        PayloadSigner signer = config.payloadSigner(props, tlsKey);
        Verification verification = SignatureVerifier.trusting(
                        TrustAnchors.load(TestPkiFiles.TRUSTSTORE, TestPkiFiles.PASSWORD.toCharArray())
                                .certificates())
                .verifyWithEmbeddedCertificate(PAYLOAD, signer.sign(PAYLOAD).der(), c -> true);

        assertThat(tlsKey.certificate()).isEqualTo(tlsCertificate());
        assertThat(signer.certificate().getSubjectX500Principal().getName()).isEqualTo(TestPkiFiles.SIGNING_SUBJECT);
        assertThat(verification.isValid()).as(verification.toString()).isTrue();
        assertThat(verification.signer()).contains(signer.certificate());
        assertThat(signer.certificate()).isNotEqualTo(tlsKey.certificate());
    }

    @Test
    void aSigningKeyFromATokenNeedsItsPkcs11Configuration() {
        MockEnvironment env = tlsSettings().withProperty("wmo.signing.keystore-type", "pkcs11");

        assertThatThrownBy(() -> bind(env))
                .isInstanceOf(BindException.class)
                .satisfies(e -> assertThat(rootMessage(e))
                        .contains("wmo.signing.keystore-type is PKCS11")
                        .contains("wmo.signing.pkcs11-config"));
    }

    @Test
    void aTlsKeyFromATokenNeedsNoKeystoreFile() {
        WmoProperties token = bind(new MockEnvironment()
                .withProperty("wmo.tls.keystore", "")
                .withProperty("wmo.tls.keystore-type", "PKCS11")
                .withProperty("wmo.tls.pkcs11-config", "/etc/wmo-gateway/pkcs11.cfg")
                .withProperty("wmo.tls.keystore-password", "4711"));

        assertThat(token.tls().identity().type()).isEqualTo(KeyStoreType.PKCS11);
        assertThat(token.tls().identity().path()).hasToString("/etc/wmo-gateway/pkcs11.cfg");
        assertThat(token.tls().toString()).contains("PKCS11").doesNotContain("4711");
    }

    @Test
    void theSigningAndTokenSettingsCanComeFromEnvironmentVariablesAsDocumented() {
        MockEnvironment env = tlsSettings();
        env.getPropertySources()
                .addFirst(new SystemEnvironmentPropertySource(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        Map.of(
                                "WMO_SIGNING_KEYSTORE_TYPE", "PKCS11",
                                "WMO_SIGNING_PKCS11_CONFIG", "/etc/wmo-gateway/pkcs11.cfg",
                                "WMO_SIGNING_KEYSTORE_PASSWORD", "4711",
                                "WMO_SIGNING_KEY_ALIAS", "signing",
                                "WMO_TLS_KEY_ALIAS", "gateway")));

        WmoProperties props = bind(env);

        assertThat(props.signing().identity()).hasValueSatisfying(signing -> {
            assertThat(signing.type()).isEqualTo(KeyStoreType.PKCS11);
            assertThat(signing.path()).hasToString("/etc/wmo-gateway/pkcs11.cfg");
            assertThat(signing.password()).containsExactly('4', '7', '1', '1');
            assertThat(signing.alias()).contains("signing");
        });
        assertThat(props.tls().keyAlias()).isEqualTo("gateway");
    }

    private static MockEnvironment tlsSettings() {
        return new MockEnvironment()
                .withProperty("wmo.tls.keystore", TestPkiFiles.GATEWAY.toString())
                .withProperty("wmo.tls.keystore-password", TestPkiFiles.PASSWORD)
                .withProperty("wmo.tls.truststore", TestPkiFiles.TRUSTSTORE.toString())
                .withProperty("wmo.tls.truststore-password", TestPkiFiles.PASSWORD);
    }

    private static WmoProperties bind(MockEnvironment env) {
        return new Binder(ConfigurationPropertySources.get(env)).bindOrCreate("wmo", WmoProperties.class);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    private static X509Certificate tlsCertificate() {
        return KeyMaterial.load(TestPkiFiles.GATEWAY, TestPkiFiles.PASSWORD.toCharArray(), Optional.empty())
                .certificate();
    }
}
