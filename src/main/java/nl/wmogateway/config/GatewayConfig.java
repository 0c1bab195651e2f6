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
    public static final String DELIVERY_QUEUE = "wmo.delivery";
    public static final String DELIVERY_DLQ = "wmo.delivery.dlq";
    public static final String MESSAGE_QUEUE = "wmo.berichten";

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
     * Retries with backoff happen in the broker: a failed delivery rolls back and Artemis hands the
     * message back after a growing delay, so no thread waits and nothing is lost on a restart.
     * For an external broker, configure the same address settings there.
     */
    @Bean
    public ArtemisConfigurationCustomizer deliveryRetryPolicy(WmoProperties props) {
        WmoProperties.Delivery d = props.delivery();
        return configuration -> {
            for (String queue : new String[] {DELIVERY_QUEUE, MESSAGE_QUEUE}) {
                configuration.addAddressSetting(queue, new AddressSettings()
                        .setRedeliveryDelay(d.initialDelay().toMillis())
                        .setRedeliveryMultiplier(d.multiplier())
                        .setMaxRedeliveryDelay(d.maxDelay().toMillis())
                        // the route marks the message failed at maxAttempts; the DLQ only catches what the route could not
                        .setMaxDeliveryAttempts(d.maxAttempts() + 5)
                        .setDeadLetterAddress(SimpleString.of(DELIVERY_DLQ)));
            }
        };
    }
}
