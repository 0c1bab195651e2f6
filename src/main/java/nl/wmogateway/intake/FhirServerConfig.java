package nl.wmogateway.intake;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToLongFunction;
import nl.wmogateway.config.WmoProperties;
import nl.wmogateway.fhir.ProfileValidator;
import nl.wmogateway.inbound.CallerResolver;
import nl.wmogateway.inbound.InboundCaptureFilter;
import nl.wmogateway.inbound.InboundSignatures;
import nl.wmogateway.partner.Partners;
import nl.wmogateway.store.AuditLog;
import nl.wmogateway.store.BeschikkingStore;
import nl.wmogateway.store.MessageStore;
import nl.wmogateway.store.RetourStore;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Enumerations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The FHIR endpoint for EHRs at {@code /fhir}: HAPI's RestfulServer with the gateway's providers. */
@Configuration
class FhirServerConfig {

    private static final Logger log = LoggerFactory.getLogger(FhirServerConfig.class);
    public static final String PROFILE_BASE = "https://wmo-gateway.nl/fhir/StructureDefinition/";

    @Bean
    public FhirContext fhirContext() {
        FhirContext ctx = FhirContext.forR4();
        // unknown elements are an error, not something to drop silently
        ctx.setParserErrorHandler(new StrictErrorHandler());
        return ctx;
    }

    /** Built and warmed before the web server opens its port, so the first EHR does not wait. */
    @Bean
    public ProfileValidator profileValidator(
            FhirContext fhir,
            WmoProperties props,
            @Value("${wmo.validation.fast-path:true}") boolean fastPath,
            @Value("${wmo.validation.shadow-sample:0}") double shadowSample,
            MeterRegistry metrics) {
        long start = System.nanoTime();
        ProfileValidator validator = new ProfileValidator(fhir, props.profilesDir());
        validator.setFastPath(fastPath);
        validator.setShadowSample(shadowSample);
        validator.warmUp();
        String plans = "Plans validated, by the path that gave the verdict (fast: the compiled fast path)";
        String shadow = "Fast-path verdicts checked by HAPI as well (wmo.validation.shadow-sample), by outcome";
        count(metrics, validator, "wmo.validation.plans", "path", "fast", plans, ProfileValidator.Counts::answered);
        count(metrics, validator, "wmo.validation.plans", "path", "hapi", plans, ProfileValidator.Counts::deferred);
        count(
                metrics,
                validator,
                "wmo.validation.shadow",
                "result",
                "same",
                shadow,
                ProfileValidator.Counts::shadowSame);
        count(
                metrics,
                validator,
                "wmo.validation.shadow",
                "result",
                "different",
                shadow,
                ProfileValidator.Counts::shadowDifferent);
        log.info(
                "FHIR validator ready with {} profiles in {} ms",
                validator.profileCount(),
                (System.nanoTime() - start) / 1_000_000);
        return validator;
    }

    private static void count(
            MeterRegistry metrics,
            ProfileValidator validator,
            String name,
            String tag,
            String value,
            String description,
            ToLongFunction<ProfileValidator.Counts> getter) {
        FunctionCounter.builder(name, validator, v -> getter.applyAsLong(v.counts()))
                .tag(tag, value)
                .description(description)
                .register(metrics);
    }

    @Bean
    public ServletRegistrationBean<RestfulServer> fhirServlet(
            FhirContext fhir,
            IntakeService intake,
            CallerResolver callers,
            MessageStore store,
            BeschikkingStore beschikkingen,
            ConsentWithdrawal withdrawal,
            AuditLog audit,
            InboundSignatures signatures,
            RetourStore retouren) {
        RestfulServer server = new RestfulServer(fhir);
        server.setDefaultResponseEncoding(EncodingEnum.JSON);
        server.setDefaultPrettyPrint(true);
        server.registerProvider(new TransactionProvider(intake, callers, fhir, signatures));
        server.setResourceProviders(
                new TaskProvider(store, beschikkingen, callers, audit, retouren),
                new ConsentProvider(withdrawal, callers, signatures));
        server.registerInterceptor(new CapabilityDescription());
        server.registerInterceptor(new InternalErrorInterceptor());
        ServletRegistrationBean<RestfulServer> bean = new ServletRegistrationBean<>(server, "/fhir/*");
        bean.setName("fhir");
        bean.setLoadOnStartup(1);
        return bean;
    }

    /**
     * Before any other filter that could read a body (Spring's FormContentFilter does), after the
     * ones that only observe (character encoding, request metrics).
     */
    static final int INBOUND_FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    /**
     * A client that asks {@code Expect: 100-continue} hears "continue" only once the body is to be
     * read: a body that is refused before (sender, media type, Content-Length, the partner's share)
     * is then not even sent.
     */
    @Bean
    public WebServerFactoryCustomizer<TomcatServletWebServerFactory> continueOnlyWhenTheBodyIsRead() {
        return factory ->
                factory.addConnectorCustomizers(connector -> connector.setProperty("continueResponseTiming", "onRead"));
    }

    @Bean
    public IntakeAdmission intakeAdmission(IntakeLimits limits) {
        IntakeLimits effective = limits.effective();
        log.info(
                "intake: {} validations at once (wait {}), {} submissions in progress per care organisation",
                effective.maxConcurrentValidations(),
                effective.validationWait(),
                effective.maxInFlightPerPartner());
        return IntakeAdmission.of(limits);
    }

    @Bean
    public FilterRegistrationBean<FhirIntakeGuard> fhirIntakeGuard(
            Partners partners,
            MessageStore store,
            AuditLog audit,
            FhirContext fhir,
            IntakeLimits limits,
            IntakeAdmission admission,
            MeterRegistry metrics) {
        FilterRegistrationBean<FhirIntakeGuard> bean = new FilterRegistrationBean<>(
                new FhirIntakeGuard(partners, store, audit, fhir, limits.effective(), admission, metrics));
        bean.addUrlPatterns("/fhir/*");
        bean.setOrder(INBOUND_FILTER_ORDER);
        return bean;
    }

    @Bean
    public FilterRegistrationBean<InboundCaptureFilter> gemeenteInboundCapture(
            MessageStore store, AuditLog audit, Partners partners) {
        FilterRegistrationBean<InboundCaptureFilter> bean = new FilterRegistrationBean<>(new InboundCaptureFilter(
                store,
                audit,
                "gemeente",
                "gemeente",
                "BESCHIKKING",
                c -> partners.gemeenteFor(c).isPresent()));
        bean.addUrlPatterns("/gemeente/*");
        bean.setOrder(INBOUND_FILTER_ORDER);
        return bean;
    }

    @Bean
    public FilterRegistrationBean<InboundCaptureFilter> zorgorganisatieInboundCapture(
            MessageStore store, AuditLog audit, Partners partners) {
        FilterRegistrationBean<InboundCaptureFilter> bean = new FilterRegistrationBean<>(new InboundCaptureFilter(
                store,
                audit,
                "zorgorganisatie",
                "care organisation",
                "RETOUR",
                c -> partners.zorgorganisatieFor(c).isPresent()));
        bean.addUrlPatterns("/zorgorganisatie/*");
        bean.setOrder(INBOUND_FILTER_ORDER);
        return bean;
    }

    /** Says in the CapabilityStatement exactly what this endpoint supports and under which profiles. */
    @Interceptor
    static class CapabilityDescription {
        @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
        public void describe(IBaseConformance conformance) {
            CapabilityStatement cs = (CapabilityStatement) conformance;
            cs.setName("WmoGateway");
            cs.setTitle("Wmo Gateway intake for EHRs");
            cs.setPublisher("Wmo Gateway");
            cs.setStatus(Enumerations.PublicationStatus.ACTIVE);
            cs.getSoftware().setName("Wmo Gateway");
            cs.getImplementation()
                    .setDescription("Submit a Wmo ondersteuningsplan as one transaction Bundle " + "(profile "
                            + PROFILE_BASE + "wmo-request-bundle); follow it with GET Task/{id}.");
            cs.addInstantiates(PROFILE_BASE + "wmo-request-bundle");
            CapabilityStatement.CapabilityStatementRestComponent rest = cs.getRestFirstRep();
            rest.setDocumentation(
                    "Mutual TLS: every request needs a client certificate registered for the care organisation.");
            rest.getSecurity()
                    .setCors(false)
                    .setDescription("Mutual TLS with a certificate issued under a trusted CA "
                            + "and registered in the gateway's partner configuration.");
            // HAPI lists OperationDefinition by default; this server defines no operations
            rest.getResource().removeIf(r -> "OperationDefinition".equals(r.getType()));
            for (CapabilityStatement.CapabilityStatementRestResourceComponent r : rest.getResource()) {
                if ("Task".equals(r.getType())) {
                    r.setProfile(PROFILE_BASE + "wmo-task");
                    r.setDocumentation(
                            "Read-only view of a submitted request; readable by the submitting organisation only.");
                }
                if ("Consent".equals(r.getType())) {
                    r.setProfile(PROFILE_BASE + "wmo-toestemming");
                    r.setDocumentation(
                            "Send the current version of a client's Consent (same identifier). When it no longer "
                                    + "allows sharing, requests resting on it are stopped before delivery or reported to the gemeente.");
                }
            }
            rest.getInteraction().forEach(i -> {
                if (i.getCode() == CapabilityStatement.SystemRestfulInteraction.TRANSACTION) {
                    i.setDocumentation(
                            "One Wmo request per transaction Bundle; resubmitting the same Bundle.identifier "
                                    + "returns the existing Task.");
                }
            });
        }
    }
}
