package nl.wmogateway.besluit;

import com.fasterxml.jackson.annotation.JsonAlias;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The gemeente's decision on one Wmo request, as the gateway understood it from the gemeente's
 * message (whatever format the gemeente uses). Independent of iWmo: the WMO301/WMO319 messages for
 * the care organisation and the Task output for the EHR are made from this.
 *
 * @param requestId           the gateway's request id (the Task id; the part of ReferentieAanbieder before "-n";
 *                            {@code aanvraag} in the gemeente's JSON, and in beschikkingen stored before it was renamed)
 * @param beschikkingnummer   the gemeente's number of the beschikking (iWmo LDT_Nummer, 0..999999999)
 * @param besluit             the overall decision
 * @param afgiftedatum        the date the beschikking was issued
 * @param producten           the decision per requested product, and any product granted in addition
 * @param contactadres        the client's address for the toewijzing (iWmo requires one in a WMO301)
 * @param motivering          the motivation in words, for the EHR
 * @param redenWijziging      iWmo WMO002 RedenWijziging when this beschikking changes an earlier one
 */
public record Beschikking(
        @JsonAlias("aanvraag") String requestId,
        long beschikkingnummer,
        Besluit besluit,
        LocalDate afgiftedatum,
        List<ProductBesluit> producten,
        Optional<Contactadres> contactadres,
        Optional<String> motivering,
        Optional<String> redenWijziging) {

    public Beschikking {
        producten = List.copyOf(producten);
    }

    /** The overall decision. */
    public enum Besluit {
        TOEGEKEND,
        DEELS_TOEGEKEND,
        AFGEWEZEN,
        IN_ONDERZOEK;

        public String code() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
