package nl.wmogateway.plan;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Per-message values a {@link PlanRendering} needs besides the plan. Renderings that do not need
 * them (the JSON plan) ignore them.
 *
 * @param berichtIdentificatie the sender's message id, unique per message kind (iWmo
 *                             BerichtIdentificatie/Identificatie: 1 to 12 characters, not blank)
 * @param dagtekening          the message date (iWmo Dagtekening; must not lie in the future)
 * @param verwijzerType        who referred the client, as iWmo COD327 code (e.g. "06"
 *                             zelfverwijzer/geen verwijzer); agreed per gemeente
 * @param openEnded            how an open-ended product per week is written (iWmo CD076); per gemeente
 * @param verwijzer            the referrer's name or AGB code, when the verwijzerType needs one (types 02 to 05)
 */
public record RenderContext(
        String berichtIdentificatie,
        LocalDate dagtekening,
        String verwijzerType,
        OpenEndedPolicy openEnded,
        Verwijzer verwijzer) {

    /** iWmo LDT_IdentificatieBericht maxLength. */
    public static final int MAX_BERICHT_IDENTIFICATIE = 12;

    public RenderContext {
        Objects.requireNonNull(berichtIdentificatie, "berichtIdentificatie");
        Objects.requireNonNull(dagtekening, "dagtekening");
        Objects.requireNonNull(verwijzerType, "verwijzerType");
        openEnded = openEnded == null ? OpenEndedPolicy.DEFAULT : openEnded;
        verwijzer = verwijzer == null || !verwijzer.type().equals(verwijzerType)
                ? Verwijzer.ofType(verwijzerType)
                : verwijzer;
        if (berichtIdentificatie.isBlank()
                || berichtIdentificatie.codePointCount(0, berichtIdentificatie.length()) > MAX_BERICHT_IDENTIFICATIE) {
            throw new IllegalArgumentException("berichtIdentificatie must be 1 to " + MAX_BERICHT_IDENTIFICATIE
                    + " characters and not blank, was '" + berichtIdentificatie + "'");
        }
    }

    /** Without a named referrer. */
    public RenderContext(
            String berichtIdentificatie, LocalDate dagtekening, String verwijzerType, OpenEndedPolicy openEnded) {
        this(berichtIdentificatie, dagtekening, verwijzerType, openEnded, null);
    }

    /** With the default {@link OpenEndedPolicy}. */
    public RenderContext(String berichtIdentificatie, LocalDate dagtekening, String verwijzerType) {
        this(berichtIdentificatie, dagtekening, verwijzerType, OpenEndedPolicy.DEFAULT);
    }
}
