package nl.wmogateway.trust;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import nl.wmogateway.pki.CertificateSpec;
import nl.wmogateway.pki.CertificateSpec.TlsRole;
import nl.wmogateway.pki.Credential;
import nl.wmogateway.pki.Pki;
import nl.wmogateway.pki.Validity;

/**
 * The certificates and payloads the signing tests share, made once per test run:
 * <ul>
 *   <li>the gateway's chain: root, issuing CA, gateway (as {@code certs-example} has it);</li>
 *   <li>a partner (gemeente) under the same CAs;</li>
 *   <li>an impostor: the gateway's subject, issued by another root;</li>
 *   <li>a look-alike: the gateway's subject and serial, under a root and issuing CA that copy the
 *       real ones' names, so that only keys and hashes tell them apart.</li>
 * </ul>
 */
final class SigningFixtures {

    static final Validity VALIDITY = Validity.between(LocalDate.of(2025, 1, 1), LocalDate.of(2035, 12, 31));
    static final Instant SIGNED_AT = Instant.parse("2026-03-02T10:15:30Z");
    static final Clock SIGNING_CLOCK = Clock.fixed(SIGNED_AT, ZoneOffset.UTC);

    static final String ROOT_DN = "CN=Signing Test Root CA, O=Wmo Gateway Test, C=NL";
    static final String ISSUING_DN = "CN=Signing Test Issuing CA, O=Wmo Gateway Test, C=NL";
    static final String GATEWAY_DN = "CN=gateway.wmo-gateway.example, O=Wmo Gateway Example, C=NL";

    /** An ondersteuningsplan rendering as it is posted: JSON with LF line ends and non-ASCII text. */
    static final byte[] PLAN_JSON = """
            {
              "resourceType": "Ondersteuningsplan",
              "gemeentecode": "0153",
              "client": { "bsn": "999993653", "naam": "Jansen" },
              "doelen": [ { "leefgebied": "huishouden", "omschrijving": "Zelfstandig boodschappen doen, ook bij slecht weer — één keer per week" } ]
            }
            """.getBytes(StandardCharsets.UTF_8);

    /** An iWmo message as it is posted: XML with a declaration. */
    static final byte[] IWMO_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Bericht xmlns="http://www.istandaarden.nl/iwmo/3_2/wmo315/schema">
              <Header><BerichtCode>414</BerichtCode><Identificatie>REQ000000001</Identificatie></Header>
            </Bericht>
            """.getBytes(StandardCharsets.UTF_8);

    static final Credential ROOT;
    static final Credential ISSUING;
    static final Credential GATEWAY;
    static final Credential GEMEENTE;
    static final Credential OTHER_ROOT;
    static final Credential IMPOSTOR;
    static final Credential LOOKALIKE;

    static {
        Pki pki = Pki.seeded("signing-test");
        ROOT = pki.rootCa(CertificateSpec.of("root", ROOT_DN, VALIDITY));
        ISSUING = pki.issuingCa(CertificateSpec.of("issuing", ISSUING_DN, VALIDITY), ROOT);
        GATEWAY = pki.leaf(
                CertificateSpec.of("gateway", GATEWAY_DN, VALIDITY)
                        .withRoles(TlsRole.SERVER, TlsRole.CLIENT)
                        .withDnsNames("gateway.wmo-gateway.example"),
                ISSUING);
        GEMEENTE = pki.leaf(
                CertificateSpec.of(
                                "gemeente-0153",
                                "CN=wmo.enschede.example, O=Gemeente Enschede Voorbeeld, C=NL",
                                VALIDITY)
                        .withRoles(TlsRole.SERVER, TlsRole.CLIENT),
                ISSUING);

        Pki other = Pki.seeded("signing-test-other");
        OTHER_ROOT = other.rootCa(CertificateSpec.of("other-root", "CN=Other Root CA, O=Someone Else, C=NL", VALIDITY));
        IMPOSTOR =
                other.leaf(CertificateSpec.of("impostor", GATEWAY_DN, VALIDITY).withRoles(TlsRole.CLIENT), OTHER_ROOT);

        Pki copycat = Pki.seeded("signing-test-copycat");
        Credential fakeRoot = copycat.rootCa(CertificateSpec.of("root", ROOT_DN, VALIDITY));
        Credential fakeIssuing = copycat.issuingCa(CertificateSpec.of("issuing", ISSUING_DN, VALIDITY), fakeRoot);
        BigInteger gatewaySerial = GATEWAY.certificate().getSerialNumber();
        LOOKALIKE = copycat.leaf(
                CertificateSpec.of("gateway", GATEWAY_DN, VALIDITY)
                        .withRoles(TlsRole.SERVER, TlsRole.CLIENT)
                        .withSerialNumber(gatewaySerial),
                fakeIssuing);
    }

    private SigningFixtures() {}

    static PayloadSigner gatewaySigner() {
        return PayloadSigner.of(GATEWAY.privateKey(), GATEWAY.chain()).withClock(SIGNING_CLOCK);
    }

    static PayloadSigner signerFor(Credential credential) {
        return PayloadSigner.of(credential.privateKey(), credential.chain()).withClock(SIGNING_CLOCK);
    }

    static byte[] withOneByteChanged(byte[] bytes, int index) {
        byte[] changed = bytes.clone();
        changed[index] ^= 0x01;
        return changed;
    }
}
