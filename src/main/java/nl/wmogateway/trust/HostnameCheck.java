package nl.wmogateway.trust;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.util.IPAddress;

/**
 * Whether a server certificate is for the host the gateway connected to, as RFC 6125 and RFC 2818
 * describe for HTTPS: an IP address must be one of the certificate's subjectAltName iPAddress
 * entries; a host name must match a subjectAltName dNSName, where {@code *} may stand for exactly
 * the whole left-most label ({@code *.example.nl} matches {@code wmo.example.nl}, not
 * {@code example.nl} nor {@code a.b.example.nl}). The subject CN is not looked at: PKIoverheid
 * and UZI server certificates carry their names in the subjectAltName.
 */
final class HostnameCheck {

    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    private HostnameCheck() {}

    /** Empty when {@code certificate} is for {@code host}; otherwise what does not match. */
    static Optional<String> mismatch(X509Certificate certificate, String host) {
        if (host == null || host.isBlank()) {
            return Optional.of("there is no host name to check the certificate against");
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        List<String> dnsNames = new ArrayList<>();
        List<String> ipAddresses = new ArrayList<>();
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    if (Integer.valueOf(DNS_NAME).equals(name.get(0))) {
                        dnsNames.add((String) name.get(1));
                    } else if (Integer.valueOf(IP_ADDRESS).equals(name.get(0))) {
                        ipAddresses.add((String) name.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return Optional.of("its subjectAltName cannot be read");
        }
        if (IPAddress.isValid(literal)) {
            return ipAddresses.stream().anyMatch(ip -> sameAddress(ip, literal))
                    ? Optional.empty()
                    : Optional.of(
                            "it is not for IP address " + literal + " (subjectAltName iPAddress " + ipAddresses + ")");
        }
        String wanted = normalise(literal);
        return dnsNames.stream().anyMatch(pattern -> matches(normalise(pattern), wanted))
                ? Optional.empty()
                : Optional.of("it is not for host " + host + " (subjectAltName dNSName " + dnsNames + ")");
    }

    private static boolean matches(String pattern, String host) {
        if (!pattern.startsWith("*.")) {
            return pattern.equals(host);
        }
        String suffix = pattern.substring(1);
        int firstDot = host.indexOf('.');
        return suffix.indexOf('.', 1) > 0
                && firstDot > 0
                && host.substring(firstDot).equals(suffix);
    }

    private static String normalise(String name) {
        String trimmed = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        try {
            return IDN.toASCII(trimmed, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return trimmed.toLowerCase(Locale.ROOT);
        }
    }

    private static boolean sameAddress(String a, String b) {
        if (!IPAddress.isValid(a)) {
            return false;
        }
        try {
            // both are literals, so no name lookup happens
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
