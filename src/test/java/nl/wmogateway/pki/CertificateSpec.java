package nl.wmogateway.pki;

import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.util.IPAddress;

/**
 * What to put in one certificate. Start from {@link #of(String, String, Validity)} and add what
 * the certificate needs:
 * <pre>{@code
 * CertificateSpec.of("gateway", "CN=gateway.example, O=Example, C=NL", validity)
 *         .withRoles(TlsRole.SERVER, TlsRole.CLIENT)
 *         .withDnsNames("localhost")
 *         .withIpAddresses("127.0.0.1");
 * }</pre>
 *
 * @param name                 a short lower-case name ({@code gateway}); with a seeded {@link Pki} it
 *                             determines the key pair and serial number, and by convention it is the
 *                             keystore alias and file name
 * @param subject              the subject DN in RFC 4514 order, most specific first:
 *                             {@code CN=..., O=..., C=NL}; {@code serialNumber=} is understood
 * @param validity             notBefore and notAfter
 * @param roles                for a leaf: whether it may serve and/or be a TLS client (ExtendedKeyUsage);
 *                             empty for a CA
 * @param dnsNames             subjectAltName DNS names
 * @param ipAddresses          subjectAltName IP addresses (literals such as {@code 127.0.0.1})
 * @param uziServerName        a UZI-register style otherName carrying URA and AGB
 * @param crlDistributionPoint where relying parties can fetch the issuer's CRL
 * @param serialNumber         a fixed serial number; when empty the {@link Pki} chooses one
 */
public record CertificateSpec(
        String name,
        String subject,
        Validity validity,
        Set<TlsRole> roles,
        List<String> dnsNames,
        List<String> ipAddresses,
        Optional<UziServerName> uziServerName,
        Optional<URI> crlDistributionPoint,
        Optional<BigInteger> serialNumber) {

    /** What a leaf certificate may be used for in TLS. */
    public enum TlsRole {
        /** ExtendedKeyUsage serverAuth. */
        SERVER,
        /** ExtendedKeyUsage clientAuth. */
        CLIENT
    }

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    public CertificateSpec {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be lower-case letters, digits and dashes, got " + name);
        }
        Objects.requireNonNull(subject, "subject");
        if (subject.isBlank()) {
            throw new IllegalArgumentException("subject of " + name + " is blank");
        }
        Objects.requireNonNull(validity, "validity");
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        for (String ip : ipAddresses) {
            if (!IPAddress.isValid(ip)) {
                throw new IllegalArgumentException("not an IP address literal: " + ip);
            }
        }
        Objects.requireNonNull(uziServerName, "uziServerName");
        Objects.requireNonNull(crlDistributionPoint, "crlDistributionPoint");
        Objects.requireNonNull(serialNumber, "serialNumber");
        serialNumber.filter(s -> s.signum() <= 0).ifPresent(s -> {
            throw new IllegalArgumentException("serial number must be positive, got " + s);
        });
    }

    /** A certificate with only a name, subject and validity: enough for a CA. */
    public static CertificateSpec of(String name, String subject, Validity validity) {
        return new CertificateSpec(
                name,
                subject,
                validity,
                Set.of(),
                List.of(),
                List.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    public CertificateSpec withRoles(TlsRole... roles) {
        return new CertificateSpec(
                name,
                subject,
                validity,
                Set.of(roles),
                dnsNames,
                ipAddresses,
                uziServerName,
                crlDistributionPoint,
                serialNumber);
    }

    public CertificateSpec withDnsNames(String... names) {
        return new CertificateSpec(
                name,
                subject,
                validity,
                roles,
                append(dnsNames, names),
                ipAddresses,
                uziServerName,
                crlDistributionPoint,
                serialNumber);
    }

    public CertificateSpec withIpAddresses(String... addresses) {
        return new CertificateSpec(
                name,
                subject,
                validity,
                roles,
                dnsNames,
                append(ipAddresses, addresses),
                uziServerName,
                crlDistributionPoint,
                serialNumber);
    }

    public CertificateSpec withUziServerName(UziServerName uzi) {
        return new CertificateSpec(
                name,
                subject,
                validity,
                roles,
                dnsNames,
                ipAddresses,
                Optional.of(uzi),
                crlDistributionPoint,
                serialNumber);
    }

    public CertificateSpec withCrlDistributionPoint(URI url) {
        return new CertificateSpec(
                name, subject, validity, roles, dnsNames, ipAddresses, uziServerName, Optional.of(url), serialNumber);
    }

    public CertificateSpec withSerialNumber(BigInteger serial) {
        return new CertificateSpec(
                name,
                subject,
                validity,
                roles,
                dnsNames,
                ipAddresses,
                uziServerName,
                crlDistributionPoint,
                Optional.of(serial));
    }

    public CertificateSpec withValidity(Validity newValidity) {
        return new CertificateSpec(
                name,
                subject,
                newValidity,
                roles,
                dnsNames,
                ipAddresses,
                uziServerName,
                crlDistributionPoint,
                serialNumber);
    }

    /** Whether the certificate gets a subjectAltName extension. */
    boolean hasAlternativeNames() {
        return !dnsNames.isEmpty() || !ipAddresses.isEmpty() || uziServerName.isPresent();
    }

    private static List<String> append(List<String> existing, String... more) {
        List<String> all = new ArrayList<>(existing);
        all.addAll(List.of(more));
        return all;
    }
}
