package nl.wmogateway.trust;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * How long the certificates the gateway depends on remain valid: its own certificate (and the
 * chain it presents), its signing certificate if it has one apart from that, and every CA in the
 * truststore.
 *
 * <ul>
 *   <li>Health {@code certificates}: DOWN when the gateway's own certificate, its signing
 *       certificate or a certificate of their chains has expired (partners refuse it), OUT_OF_SERVICE when a trusted CA has expired
 *       (its partners are refused), otherwise UP; details per certificate and the CRLs held.</li>
 *   <li>Gauge {@code wmo.certificate.days.left} per certificate, tagged {@code certificate} (the
 *       subject CN) and {@code role} ({@code gateway}, {@code gateway-chain}, {@code signing},
 *       {@code trust-anchor}).</li>
 *   <li>Gauge {@code wmo.crl.days.left} per CA whose CRL is held, tagged {@code issuer} (the CA's
 *       CN): days until that CRL's nextUpdate, negative once it is out of date (with HARD_FAIL the
 *       CA's certificates are refused then).</li>
 *   <li>A WARN line (subject and days left, nothing else) for each certificate that expires
 *       within {@code warning}, an ERROR line for each that has expired; at start and daily.</li>
 * </ul>
 */
public final class CertificateExpiry implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(CertificateExpiry.class);

    /** The gauge's name. */
    public static final String GAUGE = "wmo.certificate.days.left";

    /** The name of the gauge per CRL issuer. */
    public static final String CRL_GAUGE = "wmo.crl.days.left";

    /** Why the gateway depends on a certificate. */
    public enum Role {
        /** The gateway's own certificate. */
        GATEWAY("gateway"),
        /** A CA certificate the gateway presents with its own (or with its signing certificate). */
        GATEWAY_CHAIN("gateway-chain"),
        /** The gateway's signing certificate, when it is not its TLS certificate ({@code wmo.signing}). */
        SIGNING("signing"),
        /** A CA in the truststore. */
        TRUST_ANCHOR("trust-anchor");

        private final String tag;

        Role(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    /** One certificate being watched. */
    public record Watched(String name, String subject, Role role, Instant notAfter) {}

    private final List<Watched> watched;
    private final Duration warning;
    private final Clock clock;
    private final Optional<CrlStore> crls;
    private final Optional<RevocationMode> revocationMode;
    private final Set<String> crlIssuers = ConcurrentHashMap.newKeySet();

    /**
     * @param gatewayChain the gateway's own certificate first, then its chain
     * @param anchors      the truststore's CAs
     * @param warning      warn when a certificate expires within this period
     */
    public CertificateExpiry(
            List<X509Certificate> gatewayChain,
            TrustAnchors anchors,
            Duration warning,
            Clock clock,
            Optional<MeterRegistry> meters,
            Optional<CrlStore> crls,
            Optional<RevocationMode> revocationMode) {
        this(gatewayChain, List.of(), anchors, warning, clock, meters, crls, revocationMode);
    }

    /**
     * The same, also watching the certificates signatures carry: a signing certificate apart from
     * the TLS certificate (role {@code signing}) and its CAs. A certificate already watched (the TLS
     * certificate, when it signs) is not watched twice.
     *
     * @param signingChain the signing certificate first, then the CAs signatures include
     */
    public CertificateExpiry(
            List<X509Certificate> gatewayChain,
            List<X509Certificate> signingChain,
            TrustAnchors anchors,
            Duration warning,
            Clock clock,
            Optional<MeterRegistry> meters,
            Optional<CrlStore> crls,
            Optional<RevocationMode> revocationMode) {
        this.warning = warning;
        this.clock = clock;
        this.crls = crls;
        this.revocationMode = revocationMode;
        List<Watched> all = new ArrayList<>();
        Set<X509Certificate> seen = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < gatewayChain.size(); i++) {
            X509Certificate certificate = gatewayChain.get(i);
            if (seen.add(certificate)) {
                all.add(watch(certificate, i == 0 ? Role.GATEWAY : Role.GATEWAY_CHAIN, names));
            }
        }
        for (int i = 0; i < signingChain.size(); i++) {
            X509Certificate certificate = signingChain.get(i);
            if (seen.add(certificate)) {
                all.add(watch(certificate, i == 0 ? Role.SIGNING : Role.GATEWAY_CHAIN, names));
            }
        }
        for (X509Certificate certificate : anchors.certificates()) {
            if (seen.add(certificate)) {
                all.add(watch(certificate, Role.TRUST_ANCHOR, names));
            }
        }
        this.watched = List.copyOf(all);
        meters.ifPresent(registry ->
                watched.forEach(w -> Gauge.builder(GAUGE, () -> daysLeft(w.notAfter(), clock.instant()))
                        .description("Whole days until the certificate expires (negative: expired)")
                        .tag("certificate", w.name())
                        .tag("role", w.role().tag())
                        .baseUnit("days")
                        .register(registry)));
        meters.ifPresent(registry -> crls.ifPresent(store -> {
            Runnable register = () -> crlGauges(store, registry);
            register.run();
            store.onChange(register);
        }));
    }

    /** A gauge for each CRL issuer not yet watched (a CRL of a new issuer may come with any load). */
    private void crlGauges(CrlStore store, MeterRegistry registry) {
        for (String dn : store.nextUpdates().keySet()) {
            String name = commonName(dn).orElse(dn);
            if (crlIssuers.add(name)) {
                Gauge.builder(CRL_GAUGE, () -> crlDaysLeft(store, name, clock.instant()))
                        .description(
                                "Days until the nextUpdate of the newest CRL held from this CA (negative: out of date)")
                        .tag("issuer", name)
                        .baseUnit("days")
                        .strongReference(true)
                        .register(registry);
            }
        }
    }

    /**
     * Days (with fractions) from {@code now} until the nextUpdate of the CRL held from the CA with
     * this name (the earliest, should two CAs share it); NaN when none is held.
     */
    static double crlDaysLeft(CrlStore store, String name, Instant now) {
        return store.nextUpdates().entrySet().stream()
                .filter(e -> commonName(e.getKey()).orElse(e.getKey()).equals(name))
                .map(Map.Entry::getValue)
                .min(Comparator.naturalOrder())
                .map(next -> Duration.between(now, next).toMillis() / 86_400_000.0)
                .orElse(Double.NaN);
    }

    /** The certificates watched. */
    public List<Watched> watched() {
        return watched;
    }

    /** Logs a WARN line per certificate expiring soon and an ERROR line per expired one; daily. */
    @Scheduled(fixedRate = 1, initialDelay = 1, timeUnit = TimeUnit.DAYS)
    public void check() {
        Instant now = clock.instant();
        for (Watched w : watched) {
            long days = daysLeft(w.notAfter(), now);
            if (now.isAfter(w.notAfter())) {
                log.error(
                        "certificate {} ({}) expired on {}",
                        w.subject(),
                        w.role().tag(),
                        w.notAfter());
            } else if (now.plus(warning).isAfter(w.notAfter())) {
                log.warn(
                        "certificate {} ({}) expires in {} day(s), on {}",
                        w.subject(),
                        w.role().tag(),
                        days,
                        w.notAfter());
            }
        }
    }

    @Override
    public Health health() {
        Instant now = clock.instant();
        boolean ownExpired = false;
        boolean anchorExpired = false;
        List<Map<String, Object>> details = new ArrayList<>();
        for (Watched w : watched) {
            boolean expired = now.isAfter(w.notAfter());
            ownExpired |= expired && w.role() != Role.TRUST_ANCHOR;
            anchorExpired |= expired && w.role() == Role.TRUST_ANCHOR;
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("subject", w.subject());
            detail.put("role", w.role().tag());
            detail.put("notAfter", w.notAfter().toString());
            detail.put("daysLeft", daysLeft(w.notAfter(), now));
            detail.put("state", expired ? "expired" : now.plus(warning).isAfter(w.notAfter()) ? "expiring" : "valid");
            details.add(detail);
        }
        Health.Builder health =
                ownExpired ? Health.down() : anchorExpired ? Health.status(Status.OUT_OF_SERVICE) : Health.up();
        health.withDetail("certificates", details);
        revocationMode.ifPresent(mode -> health.withDetail("revocationMode", mode.name()));
        crls.ifPresent(store -> health.withDetail(
                "crlSources",
                store.sources().stream()
                        .map(s -> {
                            Map<String, Object> source = new LinkedHashMap<>();
                            source.put("source", s.source());
                            source.put(
                                    "crls",
                                    s.crls().stream()
                                            .map(c -> {
                                                Map<String, Object> crl = new LinkedHashMap<>();
                                                crl.put(
                                                        "issuer",
                                                        c.getIssuerX500Principal()
                                                                .getName());
                                                crl.put(
                                                        "thisUpdate",
                                                        c.getThisUpdate()
                                                                .toInstant()
                                                                .toString());
                                                crl.put(
                                                        "nextUpdate",
                                                        Optional.ofNullable(c.getNextUpdate())
                                                                .map(d -> d.toInstant()
                                                                        .toString())
                                                                .orElse("(none)"));
                                                return crl;
                                            })
                                            .toList());
                            s.loadedAt().ifPresent(at -> source.put("loadedAt", at.toString()));
                            s.problem().ifPresent(p -> source.put("problem", p));
                            return source;
                        })
                        .toList()));
        return health.build();
    }

    /** Whole days from {@code now} until {@code notAfter}, rounded down; negative once expired. */
    static long daysLeft(Instant notAfter, Instant now) {
        return Math.floorDiv(Duration.between(now, notAfter).toSeconds(), 86_400L);
    }

    private static Watched watch(X509Certificate certificate, Role role, Set<String> names) {
        String subject = certificate.getSubjectX500Principal().getName();
        String name = commonName(subject).orElse(subject);
        if (!names.add(role.tag() + "/" + name)) {
            name = name + " #" + certificate.getSerialNumber().toString(16);
            names.add(role.tag() + "/" + name);
        }
        return new Watched(name, subject, role, certificate.getNotAfter().toInstant());
    }

    private static Optional<String> commonName(String dn) {
        try {
            for (Rdn rdn : new LdapName(dn).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return Optional.of(String.valueOf(rdn.getValue()));
                }
            }
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
