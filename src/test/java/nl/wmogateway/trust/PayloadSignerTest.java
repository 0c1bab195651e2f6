package nl.wmogateway.trust;

import static nl.wmogateway.trust.SigningFixtures.GATEWAY;
import static nl.wmogateway.trust.SigningFixtures.GEMEENTE;
import static nl.wmogateway.trust.SigningFixtures.ISSUING;
import static nl.wmogateway.trust.SigningFixtures.PLAN_JSON;
import static nl.wmogateway.trust.SigningFixtures.ROOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import nl.wmogateway.pki.Pki;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PayloadSignerTest {

    static final char[] PASSWORD = "signing-test-password".toCharArray();
    static final PayloadSigner SIGNER = SigningFixtures.gatewaySigner();
    static final SignatureVerifier PINNED_ONLY = SignatureVerifier.trusting(List.of());

    @TempDir
    Path dir;

    @Test
    void theSignatureIsADetachedDerEncodedCmsSignedDataOverIdData() throws Exception {
        byte[] der = SIGNER.sign(PLAN_JSON).der();

        CMSSignedData cms = new CMSSignedData(der);
        assertThat(cms.toASN1Structure().getContentType()).isEqualTo(CMSObjectIdentifiers.signedData);
        assertThat(cms.isDetachedSignature()).isTrue();
        assertThat(cms.getSignedContentTypeOID()).isEqualTo(CMSObjectIdentifiers.data.getId());
        assertThat(cms.getEncoded(ASN1Encoding.DER)).isEqualTo(der);
    }

    @Test
    void theSignatureIsSha256WithRsaPkcs1Version15() throws Exception {
        SignerInformation signer = onlySigner(SIGNER.sign(PLAN_JSON).der());

        assertThat(SIGNER.signatureAlgorithm()).isEqualTo("SHA256withRSA");
        assertThat(signer.getDigestAlgOID()).isEqualTo(NISTObjectIdentifiers.id_sha256.getId());
        assertThat(signer.getEncryptionAlgOID())
                .isIn(
                        PKCSObjectIdentifiers.rsaEncryption.getId(),
                        PKCSObjectIdentifiers.sha256WithRSAEncryption.getId());
    }

    @Test
    void theSignedAttributesAreContentTypeMessageDigestSigningTimeAndTheSigningCertificate() throws Exception {
        SignerInformation signer = onlySigner(SIGNER.sign(PLAN_JSON).der());
        AttributeTable signed = signer.getSignedAttributes();

        assertThat(signed.get(CMSAttributes.contentType).getAttrValues().getObjectAt(0))
                .isEqualTo(CMSObjectIdentifiers.data);
        assertThat(ASN1OctetString.getInstance(signed.get(CMSAttributes.messageDigest)
                                .getAttrValues()
                                .getObjectAt(0))
                        .getOctets())
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(PLAN_JSON));
        assertThat(org.bouncycastle.asn1.cms.Time.getInstance(signed.get(CMSAttributes.signingTime)
                                .getAttrValues()
                                .getObjectAt(0))
                        .getDate()
                        .toInstant())
                .isEqualTo(SigningFixtures.SIGNED_AT);
        SigningCertificateV2 essCertificate =
                SigningCertificateV2.getInstance(signed.get(PKCSObjectIdentifiers.id_aa_signingCertificateV2)
                        .getAttrValues()
                        .getObjectAt(0));
        assertThat(essCertificate.getCerts()[0].getCertHash())
                .isEqualTo(MessageDigest.getInstance("SHA-256")
                        .digest(GATEWAY.certificate().getEncoded()));
        assertThat(signer.getUnsignedAttributes()).isNull();
    }

    @Test
    void theSignatureCarriesTheSignerAndItsIssuingCaButNotTheRoot() throws Exception {
        CMSSignedData cms = new CMSSignedData(SIGNER.sign(PLAN_JSON).der());

        List<byte[]> carried = cms.getCertificates().getMatches(null).stream()
                .map(PayloadSignerTest::encoded)
                .toList();

        assertThat(carried)
                .containsExactlyInAnyOrder(
                        GATEWAY.certificate().getEncoded(),
                        ISSUING.certificate().getEncoded());
        assertThat(SIGNER.includedCertificates()).containsExactly(GATEWAY.certificate(), ISSUING.certificate());
    }

    @Test
    void aSignerCertificateOnlySignatureCarriesJustTheSignersCertificate() throws Exception {
        CMSSignedData cms =
                new CMSSignedData(SIGNER.signerCertificateOnly().sign(PLAN_JSON).der());

        assertThat(cms.getCertificates().getMatches(null)).hasSize(1);
    }

    @Test
    void theHeaderValueRoundTrips() {
        DetachedSignature signature = SIGNER.sign(PLAN_JSON);

        String header = signature.headers().get(DetachedSignature.HEADER);
        DetachedSignature received = DetachedSignature.fromBase64(header);

        assertThat(header).isEqualTo(signature.base64()).matches("[A-Za-z0-9+/]+={0,2}");
        assertThat(signature.headers()).containsEntry("X-Wmo-Signature-Alg", "cms-detached-sha256");
        assertThat(received).isEqualTo(signature);
        assertThat(received.der()).isEqualTo(signature.der());
        assertThat(PINNED_ONLY
                        .verify(PLAN_JSON, received.der(), GATEWAY.certificate())
                        .isValid())
                .isTrue();
    }

    @Test
    void theSignatureHeaderForTheGatewaysChainFitsWellWithinAnEightKilobyteHeaderLimit() {
        String header = SIGNER.sign(PLAN_JSON).base64();

        System.out.printf(
                "X-Wmo-Signature: %d bytes DER, %d characters base64 (signer + issuing CA, RSA 2048)%n",
                SIGNER.sign(PLAN_JSON).der().length, header.length());
        assertThat(header.length()).isLessThan(4096);
    }

    @Test
    void theSignatureFileIsNamedAfterThePayloadWithP7s() {
        assertThat(DetachedSignature.fileName("plan-0153-REQ000000001.json"))
                .isEqualTo("plan-0153-REQ000000001.json.p7s");
    }

    @Test
    void theSignerReadsItsKeyAndChainFromAPkcs12Keystore() {
        Path keystore = dir.resolve("gateway.p12");
        Pki.writeKeystore(keystore, GATEWAY, "gateway", PASSWORD);

        PayloadSigner signer = PayloadSigner.fromKeystore(keystore, PASSWORD, Optional.empty());

        assertThat(signer.certificate()).isEqualTo(GATEWAY.certificate());
        assertThat(PINNED_ONLY
                        .verify(PLAN_JSON, signer.sign(PLAN_JSON).der(), GATEWAY.certificate())
                        .isValid())
                .isTrue();
    }

    @Test
    void aKeystoreWithSeveralKeysNeedsTheAliasOfTheSigningKey() throws Exception {
        Path keystore = dir.resolve("two-keys.p12");
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(
                "gateway",
                GATEWAY.privateKey(),
                PASSWORD,
                GATEWAY.chain().toArray(new java.security.cert.Certificate[0]));
        store.setKeyEntry(
                "gemeente",
                GEMEENTE.privateKey(),
                PASSWORD,
                GEMEENTE.chain().toArray(new java.security.cert.Certificate[0]));
        try (var out = Files.newOutputStream(keystore)) {
            store.store(out, PASSWORD);
        }

        assertThatThrownBy(() -> PayloadSigner.fromKeystore(keystore, PASSWORD, Optional.empty()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("several private keys")
                .hasMessageContaining("[gateway, gemeente]");
        assertThat(PayloadSigner.fromKeystore(keystore, PASSWORD, Optional.of("gateway"))
                        .certificate())
                .isEqualTo(GATEWAY.certificate());
    }

    @Test
    void aWrongKeystorePasswordIsReportedWithoutThePassword() {
        Path keystore = dir.resolve("gateway.p12");
        Pki.writeKeystore(keystore, GATEWAY, "gateway", PASSWORD);

        assertThatThrownBy(() -> PayloadSigner.fromKeystore(keystore, "Tr0ub4dor&3".toCharArray(), Optional.empty()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(keystore.toString())
                .hasMessageContaining("wrong password")
                .hasMessageNotContaining("Tr0ub4dor&3");
    }

    @Test
    void aKeyThatDoesNotBelongToTheCertificateIsRefusedWhenTheSignerIsMade() {
        assertThatThrownBy(() -> PayloadSigner.of(GEMEENTE.privateKey(), GATEWAY.chain()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not belong to");
    }

    @Test
    void aCaCertificateCannotBeUsedToSignPayloads() {
        assertThatThrownBy(() -> PayloadSigner.of(ROOT.privateKey(), ROOT.chain()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KeyUsage");
    }

    @Test
    void signingFromManyThreadsAtOnceGivesSignaturesThatAllVerify() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                byte[] payload = ("{\"bericht\":" + i + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                tasks.add(() -> PINNED_ONLY
                        .verify(payload, SIGNER.sign(payload).der(), GATEWAY.certificate())
                        .isValid());
            }
            List<Future<Boolean>> results = pool.invokeAll(tasks, 2, TimeUnit.MINUTES);

            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static SignerInformation onlySigner(byte[] der) throws Exception {
        return new CMSSignedData(der).getSignerInfos().getSigners().iterator().next();
    }

    private static byte[] encoded(X509CertificateHolder holder) {
        try {
            return holder.getEncoded();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
