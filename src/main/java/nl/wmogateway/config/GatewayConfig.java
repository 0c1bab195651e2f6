package nl.wmogateway.config;

import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import nl.wmogateway.transport.signing.PayloadSigner;
import nl.wmogateway.transport.signing.SignatureVerifier;
import java.util.Set;
import java.util.stream.Collectors;
import nl.wmogateway.beschikking.BeschikkingFormat;
import nl.wmogateway.beschikking.BeschikkingIwmoFormat;
import nl.wmogateway.beschikking.BeschikkingJsonFormat;
import nl.wmogateway.consent.ConsentGate;
import nl.wmogateway.partner.Partners;
import nl.wmogateway.partner.PartnersLoader;
import nl.wmogateway.intake.CrvbCompletenessCheck;
import nl.wmogateway.iwmo.Wmo315Rendering;
import nl.wmogateway.plan.OndersteuningsplanMapper;
import nl.wmogateway.plan.OndersteuningsplanJsonRendering;
import nl.wmogateway.plan.PlanRendering;
import nl.wmogateway.transport.Queues;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Wiring of the gateway's shared pieces: clock, partner directory, plan storage format, queue policy. */
@Configuration
public class GatewayConfig {

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

    /** Every plan and iWmo message leaving the gateway carries a detached CMS signature by the gateway's certificate. */
    @Bean
    public PayloadSigner payloadSigner(WmoProperties props) {
        WmoProperties.Tls tls = props.tls();
        return PayloadSigner.fromKeystore(tls.keystore(), tls.keystorePassword().toCharArray(),
                Optional.of(tls.keyAlias()).filter(a -> !a.isBlank()));
    }

    /** Checks signatures of partners configured to sign, against the gateway's trust anchors. */
    @Bean
    public SignatureVerifier signatureVerifier(WmoProperties props) {
        WmoProperties.Tls tls = props.tls();
        return SignatureVerifier.fromTruststore(tls.truststore(), tls.truststorePassword().toCharArray());
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

    @Bean
    public PlanRendering wmo315Rendering() {
        return new Wmo315Rendering();
    }

    /** Loaded once and checked at start-up: a mistake stops the gateway with a message naming it. */
    @Bean
    public Partners partners(WmoProperties props, Environment env, List<PlanRendering> renderings,
                             List<BeschikkingFormat> beschikkingFormats) {
        Set<String> known = renderings.stream().map(PlanRendering::type).collect(Collectors.toSet());
        Partners partners = new PartnersLoader().load(props.partnersFile(), env::resolveRequiredPlaceholders, known,
                ConsentGate.RULES.keySet(), beschikkingFormats.stream().map(BeschikkingFormat::type).collect(Collectors.toSet()));
        log.info("partners loaded from {}: {} gemeente(n), {} zorgorganisatie(s)", props.partnersFile(),
                partners.gemeenten().size(), partners.zorgorganisaties().size());
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
        return configuration -> configuration.addAddressSetting("wmo.#", new AddressSettings()
                .setRedeliveryDelay(1000)
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(30_000)
                .setMaxDeliveryAttempts(20)
                .setDeadLetterAddress(SimpleString.of(Queues.DEAD_LETTER)));
    }
}
