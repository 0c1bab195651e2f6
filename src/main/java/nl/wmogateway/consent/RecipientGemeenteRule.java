package nl.wmogateway.consent;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.fhir.PlanBundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Organization;

/**
 * The Consent allows sharing with the gemeente the request is addressed to: a provision.actor with
 * role IRCP (information recipient) that references the gemeente Organization or carries its
 * gemeentecode.
 */
final class RecipientGemeenteRule implements ConsentRule {

    public static final String ID = "recipient-gemeente";
    public static final String PARTICIPATION_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    public static final String RECIPIENT_ROLE = "IRCP";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> check(ConsentContext ctx) {
        List<Consent.provisionActorComponent> actors =
                ctx.consent().getProvision().getActor();
        List<String> codes = new ArrayList<>();
        int firstRecipient = -1;
        for (int i = 0; i < actors.size(); i++) {
            Consent.provisionActorComponent actor = actors.get(i);
            if (!PlanBundle.hasCoding(actor.getRole(), PARTICIPATION_TYPE_SYSTEM, RECIPIENT_ROLE)) {
                continue;
            }
            firstRecipient = firstRecipient < 0 ? i : firstRecipient;
            Optional<String> code = ctx.plan()
                    .resolve(actor.getReference(), Organization.class)
                    .flatMap(o -> PlanBundle.identifier(o.getIdentifier(), PlanBundle.GEMEENTECODE_SYSTEM))
                    .or(() -> PlanBundle.identifier(actor.getReference(), PlanBundle.GEMEENTECODE_SYSTEM));
            if (code.isPresent() && code.get().equals(ctx.gemeentecode())) {
                return List.of();
            }
            code.ifPresent(codes::add);
        }
        if (firstRecipient < 0) {
            return List.of(Finding.error(
                    "security",
                    "Consent names no recipient: add a provision.actor with role " + RECIPIENT_ROLE
                            + " referencing gemeente " + ctx.gemeentecode(),
                    ctx.at("provision.actor")));
        }
        String where = ctx.at("provision.actor[" + firstRecipient + "]");
        if (codes.isEmpty()) {
            return List.of(Finding.error(
                    "security",
                    "Consent's recipient (provision.actor with role " + RECIPIENT_ROLE
                            + ") identifies no gemeente: reference the gemeente Organization or give an identifier of system "
                            + PlanBundle.GEMEENTECODE_SYSTEM + " (" + ctx.gemeentecode() + ")",
                    where));
        }
        return List.of(Finding.error(
                "security",
                "Consent is for gemeente " + String.join(", ", codes) + ", but the request is addressed to "
                        + ctx.gemeentecode(),
                where));
    }
}
