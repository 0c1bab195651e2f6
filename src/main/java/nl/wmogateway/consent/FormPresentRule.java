package nl.wmogateway.consent;

import java.util.List;
import nl.wmogateway.fhir.Finding;
import org.hl7.fhir.r4.model.Attachment;

/**
 * The signed consent form is referred to: Consent.sourceAttachment with a hash, data or url. Off by
 * default; for gemeenten that require the form.
 */
final class FormPresentRule implements ConsentRule {

    public static final String ID = "form-present";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> check(ConsentContext ctx) {
        if (ctx.consent().hasSourceAttachment()) {
            Attachment form = ctx.consent().getSourceAttachment();
            if (form.hasHash() || form.hasData() || form.hasUrl()) {
                return List.of();
            }
        }
        return List.of(Finding.error(
                "business-rule",
                "gemeente " + ctx.gemeentecode() + " requires the signed "
                        + "consent form: add Consent.sourceAttachment with its hash and its data or url",
                ctx.at("source")));
    }
}
