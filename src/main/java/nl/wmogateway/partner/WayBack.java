package nl.wmogateway.partner;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * How a gemeente's decision travels back to the care organisation, per gemeente in
 * {@code routes/partners.yaml} ({@code wayBack}). In iWmo the gemeente owns the toewijzing: it
 * assigns the ToewijzingNummer and Toewijzingsdatum/-tijd, and the care organisation uses that
 * number in every later start, stop, change and claim message. Whatever the mode, a care
 * organisation never gets two toewijzingen for one decision.
 */
public enum WayBack {

    /**
     * The gateway delivers the gemeente's iWmo to the care organisation (the default). A gemeente
     * posting {@code iwmo-xml} has its WMO301/WMO319 forwarded unchanged (checked, signed, routed);
     * one posting {@code beschikking-json} gives its ToewijzingNummer per granted product, and the
     * gateway writes the WMO301 with that number.
     */
    @JsonProperty("forward")
    FORWARD,

    /**
     * The gemeente sends its iWmo to the care organisation itself (usually through the GGk); the
     * gateway only answers the EHR's Task from the beschikking and makes no iWmo message at all.
     */
    @JsonProperty("fhir-only")
    FHIR_ONLY,

    /**
     * The gateway assigns the ToewijzingNummers (unique per gemeente, never reused) and writes the
     * WMO301: only for a gemeente whose Wmo application has no iWmo of its own for these requests.
     * Not with {@code iwmo-xml}, which always carries the gemeente's own numbers.
     */
    @JsonProperty("gateway-numbers")
    GATEWAY_NUMBERS;

    /** The word in the configuration. */
    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
