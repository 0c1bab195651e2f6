package nl.wmogateway.store;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The retours received on messages the gateway sent, each with its codes per berichtklasse
 * (tables {@code iwmo_retour} and {@code iwmo_retour_klasse}). No client data: a Client class is
 * kept by name and codes only.
 */
@Repository
public class RetourStore {

    /** One class of a retour as kept: a product class with its keys, any other class by name only. */
    public record Klasse(
            String klasse,
            Optional<Long> toewijzingNummer,
            Optional<String> referentieAanbieder,
            List<String> retourcodes) {
        public Klasse {
            retourcodes = List.copyOf(retourcodes);
        }
    }

    /**
     * One retour as kept.
     *
     * @param messageId the outbound message it answers (a WMO301/WMO319, or the WMO315 rendering)
     * @param afzender  who sent it, e.g. {@code zorgorganisatie:12345678} or {@code gemeente:0153}
     */
    public record StoredRetour(
            String id,
            String requestId,
            String messageId,
            String berichtsoort,
            String afzender,
            String identificatieRetour,
            LocalDate dagtekeningRetour,
            Optional<String> xsltVersie,
            boolean geaccepteerd,
            List<String> headerRetourcodes,
            Instant receivedAt,
            List<Klasse> klassen) {
        public StoredRetour {
            headerRetourcodes = List.copyOf(headerRetourcodes);
            klassen = List.copyOf(klassen);
        }
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public RetourStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Keeps a retour; returns its id. The caller's transaction, if any, covers both tables. */
    public String save(
            String requestId,
            String messageId,
            String berichtsoort,
            String afzender,
            String identificatieRetour,
            LocalDate dagtekeningRetour,
            Optional<String> xsltVersie,
            boolean geaccepteerd,
            List<String> headerRetourcodes,
            List<Klasse> klassen) {
        String id = UUID.randomUUID().toString();
        jdbc.update(
                "insert into iwmo_retour (id, request_id, message_id, berichtsoort, afzender, identificatie_retour, "
                        + "dagtekening_retour, xslt_versie, geaccepteerd, header_codes, received_at) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id,
                requestId,
                messageId,
                berichtsoort,
                afzender,
                identificatieRetour,
                java.sql.Date.valueOf(dagtekeningRetour),
                xsltVersie.orElse(null),
                geaccepteerd,
                String.join(",", headerRetourcodes),
                Timestamp.from(clock.instant()));
        for (int i = 0; i < klassen.size(); i++) {
            Klasse k = klassen.get(i);
            jdbc.update(
                    "insert into iwmo_retour_klasse (retour_id, volgnummer, klasse, toewijzing_nummer, "
                            + "referentie_aanbieder, codes) values (?, ?, ?, ?, ?, ?)",
                    id,
                    i + 1,
                    k.klasse(),
                    k.toewijzingNummer().orElse(null),
                    k.referentieAanbieder().orElse(null),
                    String.join(",", k.retourcodes()));
        }
        return id;
    }

    /** Every retour on the messages of one request, oldest first. */
    public List<StoredRetour> forRequest(String requestId) {
        return jdbc
                .query(
                        "select * from iwmo_retour where request_id = ? order by received_at, id",
                        (rs, n) -> new StoredRetour(
                                rs.getString("id"),
                                rs.getString("request_id"),
                                rs.getString("message_id"),
                                rs.getString("berichtsoort"),
                                rs.getString("afzender"),
                                rs.getString("identificatie_retour"),
                                rs.getDate("dagtekening_retour").toLocalDate(),
                                Optional.ofNullable(rs.getString("xslt_versie")),
                                rs.getBoolean("geaccepteerd"),
                                split(rs.getString("header_codes")),
                                rs.getTimestamp("received_at").toInstant(),
                                List.of()),
                        requestId)
                .stream()
                .map(r -> new StoredRetour(
                        r.id(),
                        r.requestId(),
                        r.messageId(),
                        r.berichtsoort(),
                        r.afzender(),
                        r.identificatieRetour(),
                        r.dagtekeningRetour(),
                        r.xsltVersie(),
                        r.geaccepteerd(),
                        r.headerRetourcodes(),
                        r.receivedAt(),
                        klassen(r.id())))
                .toList();
    }

    private List<Klasse> klassen(String retourId) {
        return jdbc.query(
                "select * from iwmo_retour_klasse where retour_id = ? order by volgnummer",
                (rs, n) -> new Klasse(
                        rs.getString("klasse"),
                        Optional.ofNullable((Number) rs.getObject("toewijzing_nummer"))
                                .map(Number::longValue),
                        Optional.ofNullable(rs.getString("referentie_aanbieder")),
                        split(rs.getString("codes"))),
                retourId);
    }

    private static List<String> split(String codes) {
        return codes == null || codes.isBlank() ? List.of() : Arrays.asList(codes.split(","));
    }
}
