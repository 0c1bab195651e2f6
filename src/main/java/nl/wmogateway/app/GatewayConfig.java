package nl.wmogateway.app;

import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import nl.wmogateway.beschikking.BeschikkingFormat;
import nl.wmogateway.beschikking.BeschikkingIwmoFormat;
import nl.wmogateway.beschikking.BeschikkingJsonFormat;
import nl.wmogateway.config.WmoProperties;
import nl.wmogateway.consent.ConsentGate;
import nl.wmogateway.delivery.Queues;
import nl.wmogateway.iwmo.OfficialRules;
import nl.wmogateway.iwmo.Wmo315Rendering;
import nl.wmogateway.partner.Partners;
import nl.wmogateway.partner.PartnersLoader;
import nl.wmogateway.plan.CrvbCompletenessCheck;
import nl.wmogateway.plan.OndersteuningsplanJsonRendering;
import nl.wmogateway.plan.OndersteuningsplanMapper;
import nl.wmogateway.plan.PlanRenderer;
import nl.wmogateway.plan.PlanRendering;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Wiring of the gateway's shared pieces: clock, partner directory, plan storage format, queue policy. */
@Configuration
class GatewayConfig {

    private static final Logger log = LoggerFactory.getLogger(GatewayConfig.class);

    /** Dutch dates: "today" for consent periods and iWmo Dagtekening is today in the Netherlands. */
    @Bean
    public Clock clock() {
        return Clock.system(ZoneId.of("Europe/Amsterdam"));
    }

    @Bean
    public CrvbCompletenessCheck crvbCompletenessCheck() {
        return new CrvbCompletenessCheck();
    }

    @Bean
    public OndersteuningsplanMapper ondersteuningsplanMapper() {
        return new OndersteuningsplanMapper();
    }

    @Bean
    public BeschikkingFormat beschikkingJsonFormat() {
        return new BeschikkingJsonFormat();
    }

    @Bean
    public BeschikkingFormat beschikkingIwmoFormat() {
        return new BeschikkingIwmoFormat();
    }

    @Bean
    public PlanRendering ondersteuningsplanJsonRendering() {
        return new OndersteuningsplanJsonRendering();
    }

    /**
     * The official iWmo rule set ({@code wmo.iwmo.rules-xslt}, docs/configuration.md), compiled in
     * the background while the rest of the gateway starts.
     */
    @Bean
    public OfficialRules officialRules(@Value("${wmo.iwmo.rules-xslt:}") String stylesheet) {
        return OfficialRules.of(stylesheet);
    }

    /** The gateway opens its port only when the official rule set is ready; without one the log says so. */
    @Bean
    public SmartInitializingSingleton officialRulesReady(OfficialRules rules) {
        return () -> {
            if (!rules.configured()) {
                log.warn(
                        "wmo.iwmo.rules-xslt is not set: iWmo messages are checked against the XSDs and the gateway's own"
                                + " rules, not against the official TR/CD/CS rule set");
                return;
            }
            long start = System.nanoTime();
            Optional<java.nio.file.Path> stylesheet = rules.await();
            log.info(
                    "official iWmo rule set {} ready ({} ms waited)",
                    stylesheet.map(java.nio.file.Path::getFileName).orElse(null),
                    (System.nanoTime() - start) / 1_000_000);
        };
    }

    @Bean
    public PlanRendering wmo315Rendering(OfficialRules rules) {
        return new Wmo315Rendering(rules);
    }

    @Bean
    public PlanRenderer planRenderer(List<PlanRendering> renderings, Clock clock) {
        return new PlanRenderer(renderings, clock);
    }

    /** Loaded once and checked at start-up: a mistake stops the gateway with a message naming it. */
    @Bean
    public Partners partners(
            WmoProperties props,
            Environment env,
            List<PlanRendering> renderings,
            List<BeschikkingFormat> beschikkingFormats) {
        Set<String> known = renderings.stream().map(PlanRendering::type).collect(Collectors.toSet());
        Partners partners = new PartnersLoader()
                .load(
                        props.partnersFile(),
                        env::resolveRequiredPlaceholders,
                        known,
                        ConsentGate.RULES.keySet(),
                        beschikkingFormats.stream().map(BeschikkingFormat::type).collect(Collectors.toSet()));
        log.info(
                "partners loaded from {}: {} gemeente(n), {} zorgorganisatie(s)",
                props.partnersFile(),
                partners.gemeenten().size(),
                partners.zorgorganisaties().size());
        return partners;
    }

    /**
     * Retries are scheduled in the database (the outbox), not by the broker, so they are the same on
     * any broker. The broker only redelivers a ticket whose consumer could not reach the database;
     * this keeps it from doing so in a tight loop. For an external broker, give the {@code wmo.#}
     * addresses similar settings (docs/high-availability.md); without them nothing is lost either,
     * because the relay announces the job again.
     */
    @Bean
    public ArtemisConfigurationCustomizer ticketRedeliveryPolicy() {
        return configuration -> configuration.addAddressSetting(
                Queues.ALL,
                new AddressSettings()
                        .setRedeliveryDelay(1000)
                        .setRedeliveryMultiplier(2.0)
                        .setMaxRedeliveryDelay(30_000)
                        .setMaxDeliveryAttempts(20)
                        .setDeadLetterAddress(SimpleString.of(Queues.DEAD_LETTER)));
    }
}
