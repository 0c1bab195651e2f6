package nl.wmogateway.pki;

import java.io.IOException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.x509.OtherName;

/**
 * The identifiers a UZI-register server certificate carries in its subjectAltName
 * {@code otherName} (type-id {@value #TYPE_ID}, an IA5String), in the form
 * {@code <OID CA>-<versie>-<UZI-nummer>-S-<abonneenummer>-00.000-<AGB-code>}, for example
 * {@code 2.16.528.1.1007.99.2110-1-900000001-S-87654321-00.000-12345678}. The abonneenummer is the
 * organisation's URA; {@code S} marks a server certificate and {@code 00.000} is the role field,
 * unused for servers.
 *
 * @param uziNummer the UZI number of the certificate holder (the system)
 * @param ura       the UZI-register abonneenummer (URA) of the care organisation
 * @param agb       the AGB code of the care organisation
 */
public record UziServerName(String uziNummer, String ura, String agb) {

    /** The otherName type-id the UZI-register uses for this string. */
    public static final String TYPE_ID = "2.5.5.5";

    /** The UZI-register CA OID that opens the string in production UZI server certificates. */
    public static final String UZI_CA_OID = "2.16.528.1.1007.99.2110";

    private static final Pattern FORMAT = Pattern.compile("([0-9.]+)-(\\d+)-(\\d+)-S-(\\d+)-00\\.000-(\\d+)");

    public UziServerName {
        requireDigits("uziNummer", uziNummer);
        requireDigits("ura", ura);
        requireDigits("agb", agb);
    }

    /** The otherName string, as it appears in the certificate. */
    public String value() {
        return UZI_CA_OID + "-1-" + uziNummer + "-S-" + ura + "-00.000-" + agb;
    }

    /** Reads the string back; any CA OID and version are accepted, the server marker is required. */
    public static Optional<UziServerName> parse(String value) {
        Matcher m = FORMAT.matcher(value);
        return m.matches() ? Optional.of(new UziServerName(m.group(3), m.group(4), m.group(5))) : Optional.empty();
    }

    /** The UZI server name in the certificate's subjectAltName, if it has one. */
    public static Optional<UziServerName> of(X509Certificate certificate) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
        if (names == null) {
            return Optional.empty();
        }
        return names.stream()
                .filter(n -> Integer.valueOf(0).equals(n.get(0)) && n.get(1) instanceof byte[])
                .map(n -> otherNameValue((byte[]) n.get(1)))
                .flatMap(Optional::stream)
                .map(UziServerName::parse)
                .flatMap(Optional::stream)
                .findFirst();
    }

    private static Optional<String> otherNameValue(byte[] der) {
        try {
            ASN1Primitive primitive = ASN1Primitive.fromByteArray(der);
            if (primitive instanceof ASN1TaggedObject tagged) {
                primitive = tagged.getBaseObject().toASN1Primitive();
            }
            OtherName otherName = OtherName.getInstance(primitive);
            if (!TYPE_ID.equals(otherName.getTypeID().getId())) {
                return Optional.empty();
            }
            ASN1Encodable value = otherName.getValue();
            if (value instanceof ASN1TaggedObject tagged) {
                value = tagged.getBaseObject();
            }
            return value instanceof ASN1String s ? Optional.of(s.getString()) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void requireDigits(String field, String value) {
        if (value == null || !value.matches("\\d+")) {
            throw new IllegalArgumentException(field + " must be digits, got " + value);
        }
    }
}
