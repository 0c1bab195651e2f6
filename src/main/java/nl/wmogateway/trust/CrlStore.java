package nl.wmogateway.trust;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CRL;
import java.security.cert.CRLReason;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate revocation lists the gateway checks against, loaded from configured sources
 * (files, {@code file:} URIs or {@code http(s)://} URLs; PEM or DER; a file may hold several CRLs).
 *
 * <p>A CRL is used only if it is a complete CRL (no delta CRL, no unsupported critical extension),
 * its thisUpdate is not in the future, and its signature verifies against the certificate of the CA
 * that issued it: against the truststore CA with the same name when loading, and against the
 * actual issuer on the certificate's path when checking. A CRL that fails is logged and ignored; a
 * source that fails keeps its previous CRLs. A newly loaded CRL older than the one already held
 * for the same CA is ignored too, so a replayed old CRL cannot un-revoke a certificate.
 *
 * <p>{@link #start()} loads everything once, then a background thread loads again every
 * {@code refresh}, shortly after the earliest nextUpdate of the CRLs held, and after at most
 * {@value #RETRY_MINUTES} minutes while a source fails or a CRL is past its nextUpdate.
 */
public final class CrlStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CrlStore.class);

    static final int RETRY_MINUTES = 5;
    /** How far a CRL's thisUpdate may lie ahead of our clock. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    /** How long after a nextUpdate the new CRL is fetched: publishers need a moment. */
    static final Duration AFTER_NEXT_UPDATE = Duration.ofSeconds(1);

    private static final String DELTA_CRL_INDICATOR = "2.5.29.27";
    private static final String ISSUING_DISTRIBUTION_POINT = "2.5.29.28";
    private static final Set<String> SUPPORTED_CRITICAL = Set.of();

    /** What one source gave at the last attempt. */
    public record SourceState(String source, List<X509CRL> crls, Optional<Instant> loadedAt, Optional<String> problem) {

        public SourceState {
            crls = List.copyOf(crls);
        }
    }

    private final List<String> sources;
    private final List<X509Certificate> knownCas;
    private final Duration refresh;
    private final Duration timeout;
    private final Clock clock;
    private final HttpClient http;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Map<SignatureKey, Boolean> signatures = new ConcurrentHashMap<>();
    private volatile Map<String, SourceState> states;
    private ScheduledExecutorService scheduler;

    /**
     * @param sources  file paths, {@code file:} URIs or http(s) URLs
     * @param knownCas CA certificates to verify CRLs against while loading (the trust anchors)
     * @param refresh  how often to load all sources again
     * @param timeout  connect and read timeout for one http(s) source
     */
    public CrlStore(
            List<String> sources,
            Collection<X509Certificate> knownCas,
            Duration refresh,
            Duration timeout,
            Clock clock) {
        this.sources = List.copyOf(sources).stream()
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .distinct()
                .toList();
        this.knownCas = List.copyOf(knownCas);
        this.refresh = requirePositive(refresh, "refresh");
        this.timeout = requirePositive(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        Map<String, SourceState> initial = new LinkedHashMap<>();
        this.sources.forEach(
                s -> initial.put(s, new SourceState(s, List.of(), Optional.empty(), Optional.of("not loaded yet"))));
        this.states = Map.copyOf(initial);
    }

    /** Loads every source now and keeps them fresh in the background until {@link #close()}. */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "wmo-crl-refresh");
            thread.setDaemon(true);
            return thread;
        });
        refreshNow();
        scheduleNext();
    }

    /** Called after every load that changed the CRLs held (to drop cached verdicts). */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** Loads every source now; a source that fails keeps what it had. */
    public synchronized void refreshNow() {
        Map<String, SourceState> next = new LinkedHashMap<>();
        boolean changed = false;
        for (String source : sources) {
            SourceState previous = states.get(source);
            SourceState state = load(source, previous);
            changed |= !state.crls().equals(previous.crls());
            next.put(source, state);
        }
        states = Map.copyOf(next);
        if (changed) {
            signatures.clear();
            listeners.forEach(Runnable::run);
        }
    }

    /**
     * The revocation status of {@code certificate}, issued by {@code issuer}, at {@code at}.
     * A CRL that lists the certificate counts even when it is past its nextUpdate.
     */
    public RevocationStatus status(X509Certificate certificate, X509Certificate issuer, Instant at) {
        List<Held> named = held().stream()
                .filter(h -> h.crl().getIssuerX500Principal().equals(certificate.getIssuerX500Principal()))
                .toList();
        List<Held> signed =
                named.stream().filter(h -> verifies(h.crl(), issuer)).toList();
        String issuerName = certificate.getIssuerX500Principal().getName();
        if (signed.isEmpty()) {
            return new RevocationStatus.Unknown(
                    named.isEmpty()
                            ? "no CRL of " + issuerName + " is loaded"
                            : "no CRL of " + issuerName + " with a valid signature of that CA is loaded");
        }
        for (Held h : signed) {
            X509CRLEntry entry = h.crl().getRevokedCertificate(certificate);
            if (entry != null) {
                String reason = Optional.ofNullable(entry.getRevocationReason())
                        .map(CRLReason::name)
                        .orElse("UNSPECIFIED");
                return new RevocationStatus.Revoked(entry.getRevocationDate().toInstant(), reason, h.source());
            }
        }
        Optional<Held> current = signed.stream()
                .filter(h -> isCurrent(h.crl(), at))
                .max(Comparator.comparing(h -> h.crl().getThisUpdate()));
        if (current.isPresent()) {
            return new RevocationStatus.Good(current.get().source());
        }
        Instant latest = signed.stream()
                .map(h -> nextUpdate(h.crl()))
                .flatMap(Optional::stream)
                .max(Comparator.naturalOrder())
                .orElse(Instant.EPOCH);
        return new RevocationStatus.Unknown("the CRL of " + issuerName + " is out of date (nextUpdate " + latest + ")");
    }

    /** What each source gave at its last load, in configuration order. */
    public List<SourceState> sources() {
        Map<String, SourceState> snapshot = states;
        return sources.stream().map(snapshot::get).toList();
    }

    /**
     * Per CRL issuer (its distinguished name), the latest nextUpdate of the CRLs held from it; CRLs
     * without a nextUpdate are left out.
     */
    public Map<String, Instant> nextUpdates() {
        Map<String, Instant> next = new TreeMap<>();
        for (Held h : held()) {
            nextUpdate(h.crl())
                    .ifPresent(at ->
                            next.merge(h.crl().getIssuerX500Principal().getName(), at, (a, b) -> a.isAfter(b) ? a : b));
        }
        return next;
    }

    /** Whether a usable CRL of the CA with this certificate is held (for start-up warnings). */
    public boolean hasCrlFor(X509Certificate ca, Instant at) {
        return held().stream()
                .anyMatch(h -> h.crl().getIssuerX500Principal().equals(ca.getSubjectX500Principal())
                        && isCurrent(h.crl(), at)
                        && verifies(h.crl(), ca));
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    private record Held(String source, X509CRL crl) {}

    private record SignatureKey(X509CRL crl, PublicKey key) {}

    private List<Held> held() {
        List<Held> all = new ArrayList<>();
        states.values().forEach(s -> s.crls().forEach(c -> all.add(new Held(s.source(), c))));
        return all;
    }

    private SourceState load(String source, SourceState previous) {
        Instant now = clock.instant();
        List<X509CRL> fetched;
        try {
            fetched = parse(fetch(source), source);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            String problem = "cannot load CRL from " + source + ": " + describe(e);
            log.warn(
                    "{}; keeping the {} CRL(s) loaded before",
                    problem,
                    previous.crls().size());
            return new SourceState(source, previous.crls(), previous.loadedAt(), Optional.of(problem));
        }
        List<X509CRL> accepted = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (X509CRL crl : fetched) {
            Optional<String> problem = problem(crl, now);
            Optional<X509CRL> older = previous.crls().stream()
                    .filter(p -> p.getIssuerX500Principal().equals(crl.getIssuerX500Principal()))
                    .filter(p -> p.getThisUpdate().after(crl.getThisUpdate()))
                    .findFirst();
            if (problem.isPresent()) {
                problems.add(problem.get());
                log.warn(
                        "CRL of {} from {} ignored: {}",
                        crl.getIssuerX500Principal().getName(),
                        source,
                        problem.get());
            } else if (older.isPresent()) {
                problems.add("a CRL older than the one held was offered");
                log.warn(
                        "CRL of {} from {} ignored: its thisUpdate {} is older than that of the CRL already held ({})",
                        crl.getIssuerX500Principal().getName(),
                        source,
                        crl.getThisUpdate().toInstant(),
                        older.get().getThisUpdate().toInstant());
                accepted.add(older.get());
            } else {
                accepted.add(crl);
            }
        }
        if (accepted.isEmpty()) {
            return new SourceState(
                    source,
                    previous.crls(),
                    previous.loadedAt(),
                    Optional.of("no usable CRL in " + source + ": " + String.join("; ", problems)));
        }
        accepted.stream()
                .filter(c -> !previous.crls().contains(c))
                .forEach(c -> log.info(
                        "CRL of {} loaded from {}: {} revoked certificate(s), thisUpdate {}, nextUpdate {}",
                        c.getIssuerX500Principal().getName(),
                        source,
                        Optional.ofNullable(c.getRevokedCertificates())
                                .map(Set::size)
                                .orElse(0),
                        c.getThisUpdate().toInstant(),
                        nextUpdate(c).map(Instant::toString).orElse("(none)")));
        return new SourceState(
                source,
                accepted,
                Optional.of(now),
                problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems)));
    }

    private byte[] fetch(String source) throws IOException {
        if (source.startsWith("http://") || source.startsWith("https://")) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(source))
                    .timeout(timeout)
                    .GET()
                    .build();
            try {
                HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                    throw new IOException("HTTP " + response.statusCode());
                }
                return response.body();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        Path path = source.startsWith("file:") ? Path.of(URI.create(source)) : Path.of(source);
        return Files.readAllBytes(path);
    }

    private static List<X509CRL> parse(byte[] bytes, String source) throws GeneralSecurityException {
        Collection<? extends CRL> crls =
                CertificateFactory.getInstance("X.509").generateCRLs(new ByteArrayInputStream(bytes));
        List<X509CRL> x509 = crls.stream()
                .filter(X509CRL.class::isInstance)
                .map(X509CRL.class::cast)
                .toList();
        if (x509.isEmpty()) {
            throw new GeneralSecurityException("no X.509 CRL found in " + source);
        }
        return x509;
    }

    private Optional<String> problem(X509CRL crl, Instant now) {
        Set<String> critical =
                Optional.ofNullable(crl.getCriticalExtensionOIDs()).orElse(Set.of());
        if (critical.contains(DELTA_CRL_INDICATOR)) {
            return Optional.of("it is a delta CRL; configure the full CRL");
        }
        if (critical.contains(ISSUING_DISTRIBUTION_POINT)) {
            return Optional.of("it is a partitioned CRL (issuing distribution point); configure the full CRL");
        }
        List<String> unsupported = critical.stream()
                .filter(o -> !SUPPORTED_CRITICAL.contains(o))
                .sorted()
                .toList();
        if (!unsupported.isEmpty()) {
            return Optional.of("it has unsupported critical extensions " + unsupported);
        }
        if (crl.getThisUpdate().toInstant().isAfter(now.plus(CLOCK_SKEW))) {
            return Optional.of("its thisUpdate " + crl.getThisUpdate().toInstant() + " is in the future");
        }
        List<X509Certificate> sameName = knownCas.stream()
                .filter(ca -> ca.getSubjectX500Principal().equals(crl.getIssuerX500Principal()))
                .toList();
        if (!sameName.isEmpty() && sameName.stream().noneMatch(ca -> verifies(crl, ca))) {
            return Optional.of(
                    "its signature does not verify against the CA certificate with that name in the truststore");
        }
        return Optional.empty();
    }

    private boolean verifies(X509CRL crl, X509Certificate issuer) {
        if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        boolean[] keyUsage = issuer.getKeyUsage();
        if (keyUsage != null && (keyUsage.length < 7 || !keyUsage[6])) {
            return false;
        }
        return signatures.computeIfAbsent(new SignatureKey(crl, issuer.getPublicKey()), k -> {
            try {
                k.crl().verify(k.key());
                return true;
            } catch (GeneralSecurityException | RuntimeException e) {
                return false;
            }
        });
    }

    private static boolean isCurrent(X509CRL crl, Instant at) {
        return !crl.getThisUpdate().toInstant().isAfter(at.plus(CLOCK_SKEW))
                && nextUpdate(crl).map(next -> !at.isAfter(next)).orElse(true);
    }

    private static Optional<Instant> nextUpdate(X509CRL crl) {
        return Optional.ofNullable(crl.getNextUpdate()).map(java.util.Date::toInstant);
    }

    private synchronized void scheduleNext() {
        if (scheduler == null) {
            return;
        }
        Duration delay = nextDelay(clock.instant());
        // the task catches and logs its own failures and schedules the next refresh itself
        var unusedRefresh = scheduler.schedule(
                () -> {
                    try {
                        refreshNow();
                    } catch (RuntimeException e) {
                        log.warn("refreshing CRLs failed: {}", describe(e));
                    } finally {
                        scheduleNext();
                    }
                },
                delay.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Until the next load: the refresh interval, or sooner at a nextUpdate or while something fails. */
    Duration nextDelay(Instant now) {
        Duration delay = refresh;
        for (SourceState state : states.values()) {
            if (state.problem().isPresent()) {
                delay = min(delay, Duration.ofMinutes(RETRY_MINUTES));
            }
            for (X509CRL crl : state.crls()) {
                Optional<Instant> next = nextUpdate(crl);
                if (next.isPresent() && next.get().isAfter(now)) {
                    delay = min(delay, Duration.between(now, next.get()).plus(AFTER_NEXT_UPDATE));
                } else if (next.isPresent()) {
                    delay = min(delay, Duration.ofMinutes(RETRY_MINUTES));
                }
            }
        }
        return delay.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : delay;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
