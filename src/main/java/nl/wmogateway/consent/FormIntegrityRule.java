package nl.wmogateway.consent;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import nl.wmogateway.fhir.Finding;
import org.hl7.fhir.r4.model.Attachment;

/**
 * When the consent form is sent with both its bytes and its SHA-1, they agree. The proof carries both
 * the stated SHA-1 and the SHA-256 of the bytes, so a mismatch would make the proof contradict itself.
 */
final class FormIntegrityRule implements ConsentRule {

    public static final String ID = "form-integrity";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> check(ConsentContext ctx) {
        if (!ctx.consent().hasSourceAttachment()) {
            return List.of();
        }
        Attachment form = ctx.consent().getSourceAttachment();
        if (!form.hasData() || !form.hasHash() || MessageDigest.isEqual(sha1(form.getData()), form.getHash())) {
            return List.of();
        }
        return List.of(Finding.error(
                "business-rule",
                "Consent.sourceAttachment.hash is not the SHA-1 of its data: "
                        + "compute it over the decoded bytes and send it base64-encoded",
                ctx.at("source.hash")));
    }

    static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-1", e);
        }
    }
}
