package nl.wmogateway.trust;

import static nl.wmogateway.trust.SigningFixtures.GATEWAY;
import static nl.wmogateway.trust.SigningFixtures.GEMEENTE;
import static nl.wmogateway.trust.SigningFixtures.PLAN_JSON;
import static nl.wmogateway.trust.SigningFixtures.ROOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Security;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import nl.wmogateway.trust.TlsContexts.KeyStoreFile;
import org.junit.jupiter.api.Test;

/**
 * The PKCS#11 path of {@link Stores} and {@link KeyMaterial} after the provider is made, on any
 * machine: a {@link StandInToken} whose keys cannot be copied stands in for the SunPKCS11 provider
 * (the real token, SoftHSM, is in {@code e2e.HardwareKeyTest}). The PIN opens it, the alias rule
 * picks the key, and signatures and TLS handshakes are computed by the token's provider.
 */
class StandInTokenTest {

    private static final String PIN = "4711";
    private static final Path CONFIG = Path.of("/etc/wmo-gateway/stand-in-token.cfg");
    private static final StandInToken TOKEN = new StandInToken(PIN, Map.of("gateway", GATEWAY, "gemeente", GEMEENTE));

    private static KeyMaterial fromToken(String alias) {
        return KeyMaterial.of(
                Stores.tokenKey(TOKEN, KeyStoreFile.token(CONFIG, PIN.toCharArray(), Optional.of(alias))));
    }

    @Test
    void theConfiguredAliasIsTakenAndItsKeyStaysInTheToken() {
        KeyMaterial material = fromToken("GATEWAY");

        assertThat(material.alias()).isEqualTo("gateway");
        assertThat(material.certificate()).isEqualTo(GATEWAY.certificate());
        assertThat(material.chain()).containsExactlyElementsOf(GATEWAY.chain());
        assertThat(material.inToken()).isTrue();
        assertThat(material.source())
                .contains("PKCS#11 token " + TOKEN.getName())
                .contains(CONFIG.toString());
    }

    @Test
    void aTokenWithSeveralKeysNeedsAnAliasAndAnUnknownAliasIsNamedWithTheAliasesThereAre() {
        assertThatThrownBy(
                        () -> Stores.tokenKey(TOKEN, KeyStoreFile.token(CONFIG, PIN.toCharArray(), Optional.empty())))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("PKCS#11 token " + TOKEN.getName())
                .hasMessageContaining("holds several private keys [gateway, gemeente]");
        assertThatThrownBy(() -> fromToken("signing"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("has no private key under alias 'signing'")
                .hasMessageContaining("[gateway, gemeente]");
    }

    @Test
    void aWrongPinIsReportedNamingTheTokenAndItsConfigurationButNotThePinAndIsNotTriedAgain() {
        StandInToken token = new StandInToken(PIN, Map.of("gateway", GATEWAY));
        KeyStoreFile wrongPin = KeyStoreFile.token(CONFIG, "0815".toCharArray(), Optional.of("gateway"));

        assertThatThrownBy(() -> Stores.tokenKey(token, wrongPin))
                .isInstanceOf(StoreException.class)
                .hasMessage("PKCS#11 token " + token.getName() + " (" + CONFIG + ") could not be opened: wrong PIN")
                .satisfies(e -> assertThat(((StoreException) e).path()).isEqualTo(CONFIG));
        // the guard, the TLS key and the signing key each open the token: a real HSM would count three wrong PINs
        assertThatThrownBy(() -> Stores.tokenKey(token, wrongPin))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("wrong PIN (refused before, not tried again)");
        assertThat(token.logins()).isEqualTo(1);
    }

    @Test
    void theTokenSignsAndTheSignatureVerifies() {
        PayloadSigner signer = fromToken("gateway").signer().withClock(SigningFixtures.SIGNING_CLOCK);
        int before = TOKEN.signatures();

        DetachedSignature signature = signer.sign(PLAN_JSON);

        assertThat(signer.keyInToken()).isTrue();
        assertThat(TOKEN.signatures() - before).as("signatures by the token").isPositive();
        Verification verification = SignatureVerifier.trusting(List.of(ROOT.certificate()))
                .withClock(SigningFixtures.SIGNING_CLOCK)
                .verifyWithEmbeddedCertificate(PLAN_JSON, signature.der(), c -> true);
        assertThat(verification.isValid()).as(verification.toString()).isTrue();
        assertThat(verification.signer()).contains(GATEWAY.certificate());
    }

    @Test
    void theTokensKeyCannotBeCopiedNorUsedByAnotherProvider() {
        java.security.PrivateKey key = tokenKey();

        assertThat(key.getEncoded()).isNull();
        assertThatThrownBy(() -> java.security.Signature.getInstance("SHA256withRSA", "SunRsaSign")
                        .initSign(key))
                .isInstanceOf(java.security.InvalidKeyException.class);
    }

    @Test
    void aCertificateWhoseKeyUsageForbidsSigningCannotSignFromATokenEither() {
        StandInToken caToken = new StandInToken(PIN, Map.of("root", ROOT));
        KeyMaterial ca = KeyMaterial.of(
                Stores.tokenKey(caToken, KeyStoreFile.token(CONFIG, PIN.toCharArray(), Optional.empty())));

        assertThatThrownBy(ca::signer).isInstanceOf(IllegalStateException.class).hasMessageContaining("KeyUsage");
    }

    @Test
    void aTlsServerPresentsTheTokensKeyAndTheTokenComputesTheHandshakeSignature() throws Exception {
        KeyMaterial material = fromToken("gateway");
        assertThat(Security.getProvider(TOKEN.getName()))
                .as("installed, for JSSE to find")
                .isSameAs(TOKEN);
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(material.keyManagers(), null, null);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, trusting(ROOT.certificate()).getTrustManagers(), null);
        int before = TOKEN.signatures();

        for (String protocol : TlsContexts.PROTOCOLS) {
            try (SSLServerSocket listener = (SSLServerSocket)
                    server.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                listener.setEnabledProtocols(new String[] {protocol});
                CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
                    try (SSLSocket socket = (SSLSocket) listener.accept()) {
                        socket.startHandshake();
                        socket.getOutputStream().write(1);
                        socket.getOutputStream().flush();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                try (SSLSocket socket = (SSLSocket) client.getSocketFactory()
                        .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                    socket.setEnabledProtocols(new String[] {protocol});
                    socket.startHandshake();
                    Certificate[] presented = socket.getSession().getPeerCertificates();
                    assertThat(socket.getInputStream().read()).isEqualTo(1);
                    assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
                    assertThat(presented[0]).isEqualTo(GATEWAY.certificate());
                }
                accepted.get(30, TimeUnit.SECONDS);
            }
        }
        assertThat(TOKEN.signatures() - before)
                .as("handshake signatures by the token")
                .isGreaterThanOrEqualTo(2);
    }

    private static java.security.PrivateKey tokenKey() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS11", TOKEN);
            store.load(null, PIN.toCharArray());
            return (java.security.PrivateKey) store.getKey("gateway", null);
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TrustManagerFactory trusting(java.security.cert.X509Certificate ca) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(trust);
        return factory;
    }
}
