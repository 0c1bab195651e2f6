package nl.wmogateway.ops;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import nl.wmogateway.inbound.CallerResolver;
import nl.wmogateway.partner.CertificateIdentity;
import nl.wmogateway.partner.Partners;
import nl.wmogateway.store.DeliveryJobs;
import nl.wmogateway.store.RequestStatus;
import nl.wmogateway.store.Sealer;
import nl.wmogateway.store.TrafficLog;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The integrator's console at {@code /console}: server-rendered pages over the same mutual TLS,
 * for operators only (the certificate decides, as for {@code /admin}). Every figure and list comes
 * from {@link Operations}, the service behind the {@code /admin} API, so the page and the API
 * cannot disagree. Lists carry no client data; content is shown only after an explicit, audited
 * request. Every change is a POST with a reason, a confirmation step, a form token bound to the
 * operator's certificate, and the browser's own-origin marker.
 */
@Controller
@RequestMapping("/console")
class Console {

    /** The actions an operator can take from the console. */
    public enum Actie {
        REPLAY("Opnieuw aanbieden", "De aanvraag gaat opnieuw naar de gemeente."),
        REPLAY_MESSAGE("Bericht opnieuw versturen", "Het bericht gaat opnieuw naar de partner."),
        RELEASE("Geparkeerde aflevering vrijgeven", "De aflevering begint opnieuw, met nul pogingen."),
        CANCEL("Nieuwe pogingen stoppen", "De aflevering wordt geparkeerd tot iemand haar vrijgeeft.");

        final String titel;
        final String gevolg;

        Actie(String titel, String gevolg) {
            this.titel = titel;
            this.gevolg = gevolg;
        }

        public String titel() {
            return titel;
        }

        public String gevolg() {
            return gevolg;
        }

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Actie of(String code) {
            try {
                return valueOf(code.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "onbekende actie " + code);
            }
        }
    }

    /** The messages a finished action leaves on the page it returns to: a fixed set, never input. */
    static final Map<String, String> MELDINGEN = Map.of(
            "replay", "De aanvraag is opnieuw aangeboden; de afleverpogingen staan hieronder.",
            "replay_message", "Het bericht is opnieuw aangeboden.",
            "release", "De aflevering is vrijgegeven.",
            "cancel", "De nieuwe pogingen zijn gestopt; de aflevering is geparkeerd.");

    private static final String FORM_PURPOSE = "console-form";
    private static final Set<String> OWN_ORIGIN = Set.of("same-origin", "none");

    private final Operations operations;
    private final Pilotcijfers pilotcijfers;
    private final Operators operators;
    private final Sealer sealer;
    private final Clock clock;
    private final Tijd tijd;

    Console(Operations operations, Pilotcijfers pilotcijfers, Operators operators, Sealer sealer, Clock clock) {
        this.operations = operations;
        this.pilotcijfers = pilotcijfers;
        this.operators = operators;
        this.sealer = sealer;
        this.clock = clock;
        this.tijd = new Tijd(clock.getZone());
    }

    /** Times as the console shows them: in the gateway's zone, Dutch month names. */
    public static final class Tijd {
        private final java.time.format.DateTimeFormatter van;
        private final java.time.format.DateTimeFormatter dag;
        private final java.time.format.DateTimeFormatter lang;

        Tijd(java.time.ZoneId zone) {
            Locale nl = Locale.forLanguageTag("nl-NL");
            this.van = java.time.format.DateTimeFormatter.ofPattern("d MMM yyyy HH:mm:ss", nl)
                    .withZone(zone);
            this.dag = java.time.format.DateTimeFormatter.ofPattern("d MMM yyyy", nl)
                    .withZone(zone);
            this.lang = java.time.format.DateTimeFormatter.ofPattern("EEEE d MMMM yyyy HH:mm", nl)
                    .withZone(zone);
        }

        public String van(java.time.Instant at) {
            return van.format(at);
        }

        public String dag(java.time.Instant at) {
            return dag.format(at);
        }

        public String lang(java.time.Instant at) {
            return lang.format(at);
        }
    }

    /** Who is looking, and the token the page's forms carry; on every page. */
    @ModelAttribute
    void common(HttpServletRequest http, HttpServletResponse response, Model model) {
        guarded(response);
        model.addAttribute("tijd", tijd);
        model.addAttribute("statusNaam", STATUS_NAMEN);
        Partners.Operator operator = operators.require(http);
        model.addAttribute("operator", operator.naam());
        model.addAttribute("token", token(http));
    }

    /** Dutch names of the request statuses, as the glossary has them. */
    static final Map<String, String> STATUS_NAMEN = Map.of(
            "received", "ontvangen",
            "retrying", "opnieuw proberen",
            "delivered", "afgeleverd",
            "in_onderzoek", "in onderzoek",
            "answered", "beantwoord",
            "rejected", "afgewezen",
            "failed", "mislukt",
            "withdrawn", "ingetrokken");

    /** Pages with client data are not cached, framed or allowed to load anything from elsewhere. */
    private static void guarded(HttpServletResponse response) {
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        response.setHeader(
                "Content-Security-Policy",
                "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                        + "frame-ancestors 'none'; base-uri 'none'");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "same-origin");
    }

    @GetMapping({"", "/"})
    String start() {
        return "redirect:/console/overzicht";
    }

    @GetMapping("/overzicht")
    String overzicht(Model model) {
        model.addAttribute("overzicht", operations.overzicht());
        model.addAttribute("statussen", statusOrder());
        return "console/overzicht";
    }

    @GetMapping("/verkeer")
    String verkeer(
            HttpServletRequest http,
            Model model,
            @RequestParam Optional<String> richting,
            @RequestParam Optional<String> partner,
            @RequestParam Optional<String> status,
            @RequestParam Optional<String> type,
            @RequestParam Optional<LocalDate> van,
            @RequestParam Optional<LocalDate> tot,
            @RequestParam Optional<String> aanvraag,
            @RequestParam(defaultValue = "0") int pagina) {
        TrafficLog.Filter filter = OperatorApi.filter(
                richting.map(r -> "uit".equals(r) ? "out" : r),
                partner,
                status,
                type,
                van,
                tot,
                aanvraag,
                clock.getZone());
        TrafficLog.Page page = operations.traffic(operators.require(http), filter, pagina, 50);
        model.addAttribute("pagina", page);
        model.addAttribute("typen", operations.messageTypes());
        model.addAttribute("f_richting", richting.orElse(""));
        model.addAttribute("f_partner", partner.orElse(""));
        model.addAttribute("f_status", status.orElse(""));
        model.addAttribute("f_type", type.orElse(""));
        model.addAttribute("f_van", van.map(LocalDate::toString).orElse(""));
        model.addAttribute("f_tot", tot.map(LocalDate::toString).orElse(""));
        model.addAttribute("f_aanvraag", aanvraag.orElse(""));
        UriComponentsBuilder base = UriComponentsBuilder.fromPath("/console/verkeer");
        richting.ifPresent(v -> base.queryParam("richting", v));
        partner.ifPresent(v -> base.queryParam("partner", v));
        status.ifPresent(v -> base.queryParam("status", v));
        type.ifPresent(v -> base.queryParam("type", v));
        van.ifPresent(v -> base.queryParam("van", v));
        tot.ifPresent(v -> base.queryParam("tot", v));
        aanvraag.ifPresent(v -> base.queryParam("aanvraag", v));
        model.addAttribute(
                "vorige",
                pagina > 0
                        ? base.cloneBuilder()
                                .queryParam("pagina", pagina - 1)
                                .encode()
                                .toUriString()
                        : null);
        model.addAttribute(
                "volgende",
                page.more()
                        ? base.cloneBuilder()
                                .queryParam("pagina", pagina + 1)
                                .encode()
                                .toUriString()
                        : null);
        return "console/verkeer";
    }

    @GetMapping("/aanvragen/{id}")
    String aanvraag(
            HttpServletRequest http, Model model, @PathVariable String id, @RequestParam Optional<String> gedaan) {
        OperatorApi.RequestDetail detail = operations.request(operators.require(http), id);
        model.addAttribute("detail", detail);
        model.addAttribute("melding", gedaan.map(MELDINGEN::get).orElse(null));
        model.addAttribute(
                "kanOpnieuw",
                Set.of("failed", "rejected").contains(detail.request().status()));
        model.addAttribute(
                "kanStoppen",
                detail.delivery()
                        .map(d -> "pending".equals(d.state()) && d.attempts() > 0)
                        .orElse(false));
        model.addAttribute(
                "kanVrijgeven",
                detail.delivery().map(d -> "parked".equals(d.state())).orElse(false));
        return "console/aanvraag";
    }

    @PostMapping("/aanvragen/{id}/inhoud")
    String inhoud(
            HttpServletRequest http,
            Model model,
            @PathVariable String id,
            @RequestParam(defaultValue = "") String reden,
            @RequestParam(defaultValue = "") String token) {
        Partners.Operator operator = checkedForm(http, token);
        model.addAttribute("inhoud", operations.content(operator, id, reden));
        return "console/inhoud";
    }

    @PostMapping("/berichten/{id}/inhoud")
    String berichtInhoud(
            HttpServletRequest http,
            Model model,
            @PathVariable String id,
            @RequestParam(defaultValue = "") String reden,
            @RequestParam(defaultValue = "") String token) {
        Partners.Operator operator = checkedForm(http, token);
        model.addAttribute("inhoud", operations.messageContent(operator, id, reden));
        return "console/inhoud";
    }

    @GetMapping("/acties")
    String acties(HttpServletRequest http, Model model) {
        Partners.Operator operator = operators.require(http);
        model.addAttribute("mislukt", operations.requests(operator, Optional.of(RequestStatus.FAILED), 200));
        model.addAttribute("afgewezen", operations.requests(operator, Optional.of(RequestStatus.REJECTED), 200));
        model.addAttribute("berichten", operations.failedMessages(operator, TrafficLog.MAX_PAGE_SIZE));
        model.addAttribute("geparkeerd", operations.deliveries(DeliveryJobs.State.PARKED, Optional.empty(), 200));
        model.addAttribute("herhalend", operations.retrying(200));
        return "console/acties";
    }

    /** The confirmation step: what will happen, and the reason to give. */
    @GetMapping("/acties/bevestig")
    String bevestig(
            Model model,
            @RequestParam String actie,
            @RequestParam String id,
            @RequestParam(defaultValue = "") String aanvraag) {
        model.addAttribute("actie", Actie.of(actie));
        model.addAttribute("id", id);
        model.addAttribute("aanvraag", aanvraag);
        return "console/bevestig";
    }

    @PostMapping("/acties")
    String doe(
            HttpServletRequest http,
            @RequestParam String actie,
            @RequestParam String id,
            @RequestParam(defaultValue = "") String aanvraag,
            @RequestParam(defaultValue = "") String reden,
            @RequestParam(defaultValue = "") String token) {
        Partners.Operator operator = checkedForm(http, token);
        Actie wanted = Actie.of(actie);
        Optional<String> why = Optional.of(reden);
        String requestId = switch (wanted) {
            case REPLAY -> operations.replay(operator, id, why).id();
            case REPLAY_MESSAGE -> {
                operations.replayMessage(operator, id, why);
                yield aanvraag;
            }
            case RELEASE -> {
                operations.release(operator, id, why);
                yield aanvraag;
            }
            case CANCEL -> {
                operations.cancelRetries(operator, id, why);
                yield aanvraag;
            }
        };
        if (requestId.isEmpty()) {
            return "redirect:/console/acties";
        }
        return "redirect:"
                + UriComponentsBuilder.fromPath("/console/aanvragen/{id}")
                        .queryParam("gedaan", wanted.code())
                        .encode()
                        .buildAndExpand(requestId)
                        .toUriString();
    }

    @GetMapping("/pilotcijfers")
    String pilotcijfers(
            Model model,
            @RequestParam Optional<String> gemeente,
            @RequestParam Optional<LocalDate> van,
            @RequestParam Optional<LocalDate> tot) {
        Pilotcijfers.Periode periode = pilotcijfers.periode(gemeente, van, tot);
        model.addAttribute("periode", periode);
        model.addAttribute("grafiek", Grafieken.of(periode));
        model.addAttribute(
                "csv",
                UriComponentsBuilder.fromPath("/console/pilotcijfers.csv")
                        .queryParam("van", periode.van())
                        .queryParam("tot", periode.tot())
                        .queryParamIfPresent("gemeente", periode.gemeente())
                        .encode()
                        .toUriString());
        return "console/pilotcijfers";
    }

    @GetMapping("/pilotcijfers.csv")
    ResponseEntity<byte[]> pilotcijfersCsv(
            @RequestParam Optional<String> gemeente,
            @RequestParam Optional<LocalDate> van,
            @RequestParam Optional<LocalDate> tot) {
        Pilotcijfers.Periode periode = pilotcijfers.periode(gemeente, van, tot);
        String name = "pilotcijfers-" + periode.gemeente().orElse("alle") + "-" + periode.van() + "-" + periode.tot()
                + ".csv";
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"")
                .body(periode.csv().getBytes(StandardCharsets.UTF_8));
    }

    /** A refusal or a mistake as a page in the console's own style, with the status it deserves. */
    @ExceptionHandler(ResponseStatusException.class)
    String problem(ResponseStatusException e, HttpServletResponse response, Model model) {
        return problem(e.getStatusCode().value(), e.getReason(), response, model);
    }

    /** No client certificate at all (a connection the TLS settings let through without one). */
    @ExceptionHandler(ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException.class)
    String noCertificate(HttpServletResponse response, Model model) {
        return problem(HttpStatus.FORBIDDEN.value(), "een clientcertificaat is nodig", response, model);
    }

    /** A malformed parameter (a date that is no date). */
    @ExceptionHandler(org.springframework.web.method.annotation.MethodArgumentTypeMismatchException.class)
    String badParameter(
            org.springframework.web.method.annotation.MethodArgumentTypeMismatchException e,
            HttpServletResponse response,
            Model model) {
        return problem(
                HttpStatus.BAD_REQUEST.value(), "de waarde van '" + e.getName() + "' klopt niet", response, model);
    }

    private static String problem(int status, String reason, HttpServletResponse response, Model model) {
        guarded(response);
        response.setStatus(status);
        model.addAttribute("status", status);
        model.addAttribute("melding", reason);
        return "console/probleem";
    }

    /** The operator behind a form, after the form's token and the browser's origin marker checked out. */
    private Partners.Operator checkedForm(HttpServletRequest http, String token) {
        Partners.Operator operator = operators.require(http);
        String site = http.getHeader("Sec-Fetch-Site");
        String origin = http.getHeader(HttpHeaders.ORIGIN);
        boolean ownOrigin = site != null
                ? OWN_ORIGIN.contains(site)
                : origin != null && origin.equals(OperatorOrigin.ownOrigin(http));
        if (!ownOrigin) {
            throw new ResponseStatusException(
                    HttpStatus.FORBIDDEN,
                    "dit formulier komt niet van de console zelf; open de console en probeer opnieuw");
        }
        if (!MessageDigest.isEqual(
                token(http).getBytes(StandardCharsets.US_ASCII), token.getBytes(StandardCharsets.US_ASCII))) {
            throw new ResponseStatusException(
                    HttpStatus.FORBIDDEN,
                    "het formulier is niet van deze console of hoort bij een ander certificaat; laad de pagina opnieuw");
        }
        return operator;
    }

    /** Bound to the operator's certificate: a form from another operator's page does not pass. */
    private String token(HttpServletRequest http) {
        return sealer.authenticationCode(
                FORM_PURPOSE, CertificateIdentity.fingerprint(CallerResolver.certificate(http)));
    }

    private static List<String> statusOrder() {
        return java.util.Arrays.stream(RequestStatus.values())
                .map(s -> s.name().toLowerCase(Locale.ROOT))
                .toList();
    }
}
