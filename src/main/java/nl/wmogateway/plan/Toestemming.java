package nl.wmogateway.plan;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Proof of the client's consent that travels with the plan.
 *
 * @param consentId      the EHR's id of the Consent resource (identifier or logical id)
 * @param verleendDoor   who consented: "client" or "vertegenwoordiger"
 * @param verleendOp     when consent was given (Consent.dateTime)
 * @param geldigVan      start of the consent period
 * @param geldigTot      end of the consent period, when limited
 * @param doel           the purpose consented to (always "wmo-aanvraag")
 * @param ontvanger      the gemeentecode the consent allows sharing with
 * @param formulier      the signed consent form, when present
 */
public record Toestemming(
        String consentId,
        String verleendDoor,
        Instant verleendOp,
        LocalDate geldigVan,
        Optional<LocalDate> geldigTot,
        String doel,
        String ontvanger,
        Optional<Formulier> formulier) {

    /**
     * Reference to the signed consent form; the form itself does not travel, its hash does, so
     * the gemeente can later verify that the form it requests is the one consented to.
     *
     * @param titel          title of the form
     * @param contentType    MIME type of the form
     * @param sha256         SHA-256 of the form's bytes, hex; present when the EHR sent the bytes
     * @param sha1           SHA-1 of the form as the EHR stated it in Attachment.hash (base64)
     * @param url            where the EHR keeps the form, when given
     */
    public record Formulier(
            String titel, String contentType, Optional<String> sha256, Optional<String> sha1, Optional<String> url) {}
}
