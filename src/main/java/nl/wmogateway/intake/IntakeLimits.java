package nl.wmogateway.intake;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How much work one submission to {@code /fhir} may cause, and how many may run at once
 * ({@code wmo.intake.*}; docs/limits.md lists them with the answer each refusal gets). Every limit
 * is checked before the body reaches HAPI's parser, and the sender is known before the body is read.
 *
 * @param maxBodySize              the largest body, as sent and after {@code Content-Encoding: gzip}
 *                                 is undone; a plan is 20 to 60 KB
 * @param maxInflationRatio        a gzip body may inflate to at most this many times its size
 * @param maxEntries               the most entries a Bundle may have (the example plan has 32)
 * @param maxDepth                 the deepest nesting of JSON objects and arrays or XML elements
 *                                 (the example plan: 10)
 * @param maxStringLength          the longest string, name or XML attribute, in characters; FHIR's
 *                                 own limit for a string is 1 MiB
 * @param bodyReadTimeout          how long reading one body may take in total; a client that sends
 *                                 slower is cut off
 * @param maxConcurrentValidations how many submissions are parsed, validated and stored at once; 0
 *                                 means one per processor core
 * @param validationWait           how long a submission may wait for its turn before it is answered
 *                                 503
 * @param maxInFlightPerPartner    how many submissions one care organisation may have in progress,
 *                                 waiting included; more are answered 429 before their body is read.
 *                                 0 means twice {@code maxConcurrentValidations}
 * @param retryAfter               the {@code Retry-After} sent with 429 and 503
 */
@Validated
@ConfigurationProperties("wmo.intake")
public record IntakeLimits(
        @DefaultValue("5MB") @NotNull DataSize maxBodySize,
        @DefaultValue("100") @DecimalMin("1.0") double maxInflationRatio,
        @DefaultValue("200") @Min(1) int maxEntries,
        @DefaultValue("32") @Min(4) int maxDepth,
        @DefaultValue("1048576") @Min(1024) int maxStringLength,
        @DefaultValue("15s") @NotNull Duration bodyReadTimeout,
        @DefaultValue("0") @Min(0) int maxConcurrentValidations,
        @DefaultValue("2s") @NotNull Duration validationWait,
        @DefaultValue("0") @Min(0) int maxInFlightPerPartner,
        @DefaultValue("2s") @NotNull Duration retryAfter) {

    /** The limits as the gateway runs with them: the defaults that depend on the machine filled in. */
    public IntakeLimits effective() {
        int validations = maxConcurrentValidations > 0
                ? maxConcurrentValidations
                : Runtime.getRuntime().availableProcessors();
        int perPartner = maxInFlightPerPartner > 0 ? maxInFlightPerPartner : 2 * validations;
        return new IntakeLimits(
                maxBodySize,
                maxInflationRatio,
                maxEntries,
                maxDepth,
                maxStringLength,
                bodyReadTimeout,
                validations,
                validationWait,
                perPartner,
                retryAfter);
    }

    /** {@link #retryAfter} in whole seconds, at least 1, as {@code Retry-After} wants it. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    /** The defaults declared above, bound as Spring would with no settings; for tests and tools. */
    public static IntakeLimits defaults() {
        return new Binder(new MapConfigurationPropertySource()).bindOrCreate("wmo.intake", IntakeLimits.class);
    }
}
