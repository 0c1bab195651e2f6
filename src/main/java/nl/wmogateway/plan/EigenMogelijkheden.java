package nl.wmogateway.plan;

import java.util.List;

/**
 * CRvB step 4: what the client, their network and the voorliggend veld can do before a
 * maatwerkvoorziening is considered.
 *
 * @param eigenKracht     the client's own abilities (zelf- en samenredzaamheid)
 * @param sociaalNetwerk  gebruikelijke hulp, mantelzorg and social network
 * @param voorliggendVeld general and collective provisions and other laws that were explored
 * @param mantelzorgers   the informal carers involved
 */
public record EigenMogelijkheden(
        String eigenKracht, String sociaalNetwerk, String voorliggendVeld, List<Mantelzorger> mantelzorgers) {

    public EigenMogelijkheden {
        mantelzorgers = List.copyOf(mantelzorgers);
    }

    /**
     * An informal carer. Only the relationship is forwarded, not the carer's name or contact
     * details: the gemeente needs to know that there is a partner or child who cares, not who.
     *
     * @param relatie relationship to the client in words (e.g. "partner", "dochter")
     */
    public record Mantelzorger(String relatie) {}
}
