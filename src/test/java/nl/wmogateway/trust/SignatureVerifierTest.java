package nl.wmogateway.trust;

import static nl.wmogateway.trust.SigningFixtures.GATEWAY;
import static nl.wmogateway.trust.SigningFixtures.GEMEENTE;
import static nl.wmogateway.trust.SigningFixtures.IMPOSTOR;
import static nl.wmogateway.trust.SigningFixtures.ISSUING;
import static nl.wmogateway.trust.SigningFixtures.IWMO_XML;
import static nl.wmogateway.trust.SigningFixtures.LOOKALIKE;
import static nl.wmogateway.trust.SigningFixtures.PLAN_JSON;
import static nl.wmogateway.trust.SigningFixtures.ROOT;
import static nl.wmogateway.trust.SigningFixtures.SIGNED_AT;
import static nl.wmogateway.trust.SigningFixtures.withOneByteChanged;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.Provider;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import nl.wmogateway.partner.CertificateIdentity;
import nl.wmogateway.pki.Credential;
import nl.wmogateway.trust.Verification.Outcome;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignatureVerifierTest {

    static final PayloadSigner GATEWAY_SIGNER = SigningFixtures.gatewaySigner();
    static final SignatureVerifier PINNED_ONLY = SignatureVerifier.trusting(List.of());
    static final SignatureVerifier TRUSTING_OUR_CAS = SignatureVerifier.trusting(List.of(ROOT.certificate()));
    static final byte[] SIGNATURE = GATEWAY_SIGNER.sign(PLAN_JSON).der();

    @Test
    void aSignedPayloadVerifiesWithOnlyThePublicCertificate() {
        Verification verification = PINNED_ONLY.verify(PLAN_JSON, SIGNATURE, GATEWAY.certificate());

        assertThat(verification.outcome()).isEqualTo(Outcome.VALID);
        assertThat(verification.signer()).contains(GATEWAY.certificate());
        assertThat(verification.signingTime()).contains(SIGNED_AT);
    }

    @Test
    void anIwmoXmlMessageIsSignedAndVerifiedAsTheSameBytes() {
        byte[] signature = GATEWAY_SIGNER.sign(IWMO_XML).der();

        assertThat(PINNED_ONLY
                        .verify(IWMO_XML, signature, GATEWAY.certificate())
                        .isValid())
                .isTrue();
    }

    @Test
    void anEmptyPayloadCanBeSignedAndVerified() {
        byte[] signature = GATEWAY_SIGNER.sign(new byte[0]).der();

        assertThat(PINNED_ONLY
                        .verify(new byte[0], signature, GATEWAY.certificate())
                        .isValid())
                .isTrue();
    }

    @ParameterizedTest(name = "changing byte {0}")
    @ValueSource(ints = {0, 1, 57, 200})
    void aSingleChangedByteInThePayloadIsADigestMismatch(int index) {
        Verification verification =
                PINNED_ONLY.verify(withOneByteChanged(PLAN_JSON, index), SIGNATURE, GATEWAY.certificate());

        assertThat(verification.outcome()).isEqualTo(Outcome.DIGEST_MISMATCH);
        assertThat(verification.code()).isEqualTo("digest-mismatch");
        assertThat(verification.signer()).isEmpty();
    }

    @Test
    void aPayloadWithALineEndAddedIsADigestMismatch() {
        byte[] longer = Arrays.copyOf(PLAN_JSON, PLAN_JSON.length + 1);
        longer[PLAN_JSON.length] = '\n';

        assertThat(PINNED_ONLY.verify(longer, SIGNATURE, GATEWAY.certificate()).outcome())
                .isEqualTo(Outcome.DIGEST_MISMATCH);
    }

    @Test
    void aSignatureByAnotherKeyWithTheSameSubjectFromAnotherCaIsAWrongSigner() {
        byte[] impostorSignature =
                SigningFixtures.signerFor(IMPOSTOR).sign(PLAN_JSON).der();

        Verification verification = PINNED_ONLY.verify(PLAN_JSON, impostorSignature, GATEWAY.certificate());

        assertThat(IMPOSTOR.certificate().getSubjectX500Principal())
                .isEqualTo(GATEWAY.certificate().getSubjectX500Principal());
        assertThat(verification.outcome()).isEqualTo(Outcome.WRONG_SIGNER);
        assertThat(verification.detail()).contains("Other Root CA").contains("expected");
    }

    @Test
    void aLookAlikeCertificateWithTheSameIssuerNameAndSerialIsAWrongSigner() {
        byte[] lookalikeSignature =
                SigningFixtures.signerFor(LOOKALIKE).sign(PLAN_JSON).der();

        Verification verification = PINNED_ONLY.verify(PLAN_JSON, lookalikeSignature, GATEWAY.certificate());

        assertThat(LOOKALIKE.certificate().getIssuerX500Principal())
                .isEqualTo(GATEWAY.certificate().getIssuerX500Principal());
        assertThat(LOOKALIKE.certificate().getSerialNumber())
                .isEqualTo(GATEWAY.certificate().getSerialNumber());
        assertThat(verification.outcome()).isEqualTo(Outcome.WRONG_SIGNER);
    }

    @Test
    void aLookAlikeSignatureThatCarriesNoCertificateIsStillRefused() {
        byte[] bare = cms(LOOKALIKE, "SHA256withRSA", false, false);

        Verification verification = PINNED_ONLY.verify(PLAN_JSON, bare, GATEWAY.certificate());

        assertThat(verification.outcome()).isEqualTo(Outcome.BAD_SIGNATURE);
    }

    @Test
    void aPinnedSignatureNeedNotCarryAnyCertificate() {
        byte[] bare = cms(GATEWAY, "SHA256withRSA", false, false);

        assertThat(PINNED_ONLY.verify(PLAN_JSON, bare, GATEWAY.certificate()).isValid())
                .isTrue();
    }

    @Test
    void anyOfSeveralPinnedCertificatesIsAcceptedWhileAPartnerRenews() {
        Verification verification =
                PINNED_ONLY.verify(PLAN_JSON, SIGNATURE, List.of(GEMEENTE.certificate(), GATEWAY.certificate()));

        assertThat(verification.signer()).contains(GATEWAY.certificate());
    }

    @Test
    void theEmbeddedCertificateIsAcceptedWhenItChainsToATrustedCaAndReportedAsTheSigner() {
        Verification verification =
                TRUSTING_OUR_CAS.verifyWithEmbeddedCertificate(PLAN_JSON, SIGNATURE, signer -> true);

        assertThat(verification.isValid()).isTrue();
        assertThat(verification.signer()).contains(GATEWAY.certificate());
        assertThat(verification.detail()).contains("gateway.wmo-gateway.example");
    }

    @Test
    void theEmbeddedCertificateMustBeThePartnersAsThePartnerConfigurationDescribesIt() {
        CertificateIdentity gemeente0153 = new CertificateIdentity(
                Optional.of(GEMEENTE.certificate().getSubjectX500Principal().getName()),
                Optional.empty(),
                Optional.empty());

        Verification verification =
                TRUSTING_OUR_CAS.verifyWithEmbeddedCertificate(PLAN_JSON, SIGNATURE, gemeente0153::matches);

        assertThat(verification.outcome()).isEqualTo(Outcome.WRONG_SIGNER);
        assertThat(verification.detail()).contains("not the expected partner's certificate");
    }

    @Test
    void anEmbeddedCertificateFromAnUntrustedCaIsAWrongSignerEvenWithTheRightSubject() {
        byte[] impostorSignature =
                SigningFixtures.signerFor(IMPOSTOR).sign(PLAN_JSON).der();
        CertificateIdentity gatewayBySubject = new CertificateIdentity(
                Optional.of(GATEWAY.certificate().getSubjectX500Principal().getName()),
                Optional.empty(),
                Optional.empty());

        Verification verification =
                TRUSTING_OUR_CAS.verifyWithEmbeddedCertificate(PLAN_JSON, impostorSignature, gatewayBySubject::matches);

        assertThat(verification.outcome()).isEqualTo(Outcome.WRONG_SIGNER);
        assertThat(verification.detail()).contains("does not chain to a trusted CA");
    }

    @Test
    void aSignatureWithoutIntermediatesChainsOnlyWhenTheReceiverTrustsTheIssuingCa() {
        Verification verification = TRUSTING_OUR_CAS.verifyWithEmbeddedCertificate(
                PLAN_JSON,
                GATEWAY_SIGNER.signerCertificateOnly().sign(PLAN_JSON).der(),
                signer -> true);

        assertThat(verification.outcome()).isEqualTo(Outcome.WRONG_SIGNER);
        assertThat(SignatureVerifier.trusting(List.of(ROOT.certificate(), ISSUING.certificate()))
                        .verifyWithEmbeddedCertificate(
                                PLAN_JSON,
                                GATEWAY_SIGNER
                                        .signerCertificateOnly()
                                        .sign(PLAN_JSON)
                                        .der(),
                                signer -> true)
                        .isValid())
                .isTrue();
    }

    @Test
    void anExpiredSignerCertificateIsAWrongSigner() {
        SignatureVerifier in2040 =
                TRUSTING_OUR_CAS.withClock(Clock.fixed(Instant.parse("2040-01-01T00:00:00Z"), ZoneOffset.UTC));

        Verification verification = in2040.verifyWithEmbeddedCertificate(PLAN_JSON, SIGNATURE, signer -> true);

        assertThat(verification.outcome()).isEqualTo(Outcome.WRONG_SIGNER);
    }

    @Test
    void aSigningTimeOutsideTheCertificatesValidityIsAWrongSigner() {
        byte[] backdated = GATEWAY_SIGNER
                .withClock(Clock.fixed(Instant.parse("2020-01-01T00:00:00Z"), ZoneOffset.UTC))
                .sign(PLAN_JSON)
                .der();

        assertThat(PINNED_ONLY
                        .verify(PLAN_JSON, backdated, GATEWAY.certificate())
                        .outcome())
                .isEqualTo(Outcome.WRONG_SIGNER);
    }

    @Test
    void aChangedSignatureValueIsABadSignature() {
        // Without unsigned attributes the SignerInfo's signature value is the last thing in the DER.
        byte[] changed = withOneByteChanged(SIGNATURE, SIGNATURE.length - 1);

        Verification verification = PINNED_ONLY.verify(PLAN_JSON, changed, GATEWAY.certificate());

        assertThat(verification.outcome()).isEqualTo(Outcome.BAD_SIGNATURE);
        assertThat(verification.code()).isEqualTo("bad-signature");
    }

    @Test
    void aChangedSigningTimeIsABadSignature() {
        byte[] signingTime = "260302101530Z".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int at = indexOf(SIGNATURE, signingTime);
        byte[] changed = SIGNATURE.clone();
        changed[at + 1] = '7';

        assertThat(at).isPositive();
        assertThat(PINNED_ONLY.verify(PLAN_JSON, changed, GATEWAY.certificate()).outcome())
                .isEqualTo(Outcome.BAD_SIGNATURE);
    }

    @ParameterizedTest(name = "cut to {0} bytes")
    @ValueSource(ints = {0, 1, 2, 10, 100, 1000, -1})
    void aTruncatedSignatureIsMalformedNotAnException(int length) {
        byte[] truncated = Arrays.copyOf(SIGNATURE, length < 0 ? SIGNATURE.length - 1 : length);

        assertThat(PINNED_ONLY
                        .verify(PLAN_JSON, truncated, GATEWAY.certificate())
                        .outcome())
                .isEqualTo(Outcome.MALFORMED);
        assertThat(TRUSTING_OUR_CAS
                        .verifyWithEmbeddedCertificate(PLAN_JSON, truncated, signer -> true)
                        .outcome())
                .isEqualTo(Outcome.MALFORMED);
    }

    @Test
    void garbageIsMalformedNotAnException() {
        Random random = new Random(20260302L);
        for (int i = 0; i < 200; i++) {
            byte[] garbage = new byte[1 + random.nextInt(3000)];
            random.nextBytes(garbage);
            if (i % 2 == 0) {
                garbage[0] = 0x30; // a SEQUENCE, to get past the first byte
            }

            assertThat(PINNED_ONLY
                            .verify(PLAN_JSON, garbage, GATEWAY.certificate())
                            .outcome())
                    .isEqualTo(Outcome.MALFORMED);
        }
    }

    @Test
    void randomlyCorruptedSignaturesAreRefusedWithAReasonNotAnException() {
        Random random = new Random(5652L);
        for (int i = 0; i < 300; i++) {
            byte[] corrupted = SIGNATURE.clone();
            corrupted[random.nextInt(corrupted.length)] ^= (byte) (1 + random.nextInt(255));

            Verification verification =
                    TRUSTING_OUR_CAS.verifyWithEmbeddedCertificate(PLAN_JSON, corrupted, signer -> true);

            // with this seed no flip lands on one of the few bytes nothing covers (such as the SignedData version)
            assertThat(verification.outcome()).isNotEqualTo(Outcome.VALID);
            assertThat(verification.detail()).isNotBlank();
        }
    }

    @Test
    void aSignatureWithTrailingBytesIsMalformed() {
        byte[] trailing = Arrays.copyOf(SIGNATURE, SIGNATURE.length + 4);

        assertThat(PINNED_ONLY
                        .verify(PLAN_JSON, trailing, GATEWAY.certificate())
                        .outcome())
                .isEqualTo(Outcome.MALFORMED);
    }

    @Test
    void aCertificateInsteadOfASignatureIsMalformed() throws Exception {
        Verification verification =
                PINNED_ONLY.verify(PLAN_JSON, GATEWAY.certificate().getEncoded(), GATEWAY.certificate());

        assertThat(verification.outcome()).isEqualTo(Outcome.MALFORMED);
    }

    @Test
    void aSignatureThatCarriesTheContentItselfIsMalformed() {
        byte[] attached = cms(GATEWAY, "SHA256withRSA", true, true);

        Verification verification = PINNED_ONLY.verify(PLAN_JSON, attached, GATEWAY.certificate());

        assertThat(verification.outcome()).isEqualTo(Outcome.MALFORMED);
        assertThat(verification.detail()).contains("detached");
    }

    @Test
    void anRsaPssSignatureFromAPartnerIsAccepted() {
        byte[] pss = cms(GEMEENTE, "SHA256withRSAandMGF1", false, true);

        assertThat(TRUSTING_OUR_CAS
                        .verifyWithEmbeddedCertificate(PLAN_JSON, pss, signer -> true)
                        .isValid())
                .isTrue();
    }

    @Test
    void aSha1SignatureIsABadSignature() {
        byte[] sha1 = cms(GEMEENTE, "SHA1withRSA", false, true);

        Verification verification = TRUSTING_OUR_CAS.verifyWithEmbeddedCertificate(PLAN_JSON, sha1, signer -> true);

        assertThat(verification.outcome()).isEqualTo(Outcome.BAD_SIGNATURE);
        assertThat(verification.detail()).contains("not accepted");
    }

    @Test
    void noSignatureHeaderIsMissing() {
        Verification verification =
                TRUSTING_OUR_CAS.verifyHeaders(PLAN_JSON, Optional.empty(), Optional.empty(), signer -> true);

        assertThat(verification.code()).isEqualTo("missing");
    }

    @Test
    void aSignatureHeaderThatIsNotBase64IsMalformed() {
        Verification verification = TRUSTING_OUR_CAS.verifyHeaders(
                PLAN_JSON, Optional.of("not base64!"), Optional.of(DetachedSignature.ALGORITHM), signer -> true);

        assertThat(verification.outcome()).isEqualTo(Outcome.MALFORMED);
    }

    @Test
    void anUnknownSignatureAlgorithmHeaderIsMalformed() {
        Verification verification = TRUSTING_OUR_CAS.verifyHeaders(
                PLAN_JSON,
                Optional.of(GATEWAY_SIGNER.sign(PLAN_JSON).base64()),
                Optional.of("jws-detached"),
                signer -> true);

        assertThat(verification.outcome()).isEqualTo(Outcome.MALFORMED);
        assertThat(verification.detail()).contains("jws-detached");
    }

    @Test
    void signedHeadersAreVerifiedWithTheAlgorithmHeaderOrWithoutIt() {
        DetachedSignature signature = GATEWAY_SIGNER.sign(PLAN_JSON);

        assertThat(TRUSTING_OUR_CAS
                        .verifyHeaders(
                                PLAN_JSON,
                                Optional.of(signature.base64()),
                                Optional.of("cms-detached-sha256"),
                                signer -> true)
                        .isValid())
                .isTrue();
        assertThat(TRUSTING_OUR_CAS
                        .verifyHeaders(PLAN_JSON, Optional.of(signature.base64()), Optional.empty(), signer -> true)
                        .isValid())
                .isTrue();
    }

    @Test
    void aVerifierTrustingNoCaRefusesEmbeddedCertificates() {
        assertThat(PINNED_ONLY
                        .verifyWithEmbeddedCertificate(PLAN_JSON, SIGNATURE, signer -> true)
                        .outcome())
                .isEqualTo(Outcome.WRONG_SIGNER);
    }

    private static final Provider BC = new BouncyCastleProvider();

    /** A CMS made directly with Bouncy Castle, as another implementation might make it. */
    private static byte[] cms(Credential signer, String algorithm, boolean encapsulate, boolean withCertificates) {
        try {
            X509Certificate certificate = signer.certificate();
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(
                    new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                            .build(
                                    new JcaContentSignerBuilder(algorithm)
                                            .setProvider(BC)
                                            .build(signer.privateKey()),
                                    new JcaX509CertificateHolder(certificate)));
            if (withCertificates) {
                generator.addCertificates(new JcaCertStore(signer.chain()));
            }
            return generator
                    .generate(new CMSProcessableByteArray(PLAN_JSON), encapsulate)
                    .getEncoded(ASN1Encoding.DER);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
