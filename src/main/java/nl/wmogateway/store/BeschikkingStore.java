package nl.wmogateway.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import nl.wmogateway.besluit.Beschikking;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Beschikkingen as received (canonical form; the raw body is the inbound message) and the
 * toewijzingen they led to, with their ToewijzingNummers.
 */
@Repository
public class BeschikkingStore {

    /** A stored beschikking. */
    public record Stored(
            String id,
            String requestId,
            String inboundId,
            String gemeentecode,
            long beschikkingnummer,
            Beschikking.Besluit besluit,
            Instant receivedAt,
            Beschikking beschikking) {}

    /** A ToewijzingNummer given out for a product of a request. */
    public record Nummer(
            String gemeentecode,
            long nummer,
            String requestId,
            Optional<String> referentieAanbieder,
            String beschikkingId) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final PlatformTransactionManager transactions;
    private static final int MAX_ALLOCATE_ATTEMPTS = 20;
    private final ObjectMapper json = JsonMapper.builder()
            .addModule(new Jdk8Module())
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .defaultPropertyInclusion(
                    JsonInclude.Value.construct(JsonInclude.Include.NON_ABSENT, JsonInclude.Include.NON_ABSENT))
            .build();

    private final Sealer sealer;

    public BeschikkingStore(JdbcTemplate jdbc, Clock clock, PlatformTransactionManager transactions, Sealer sealer) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.transactions = transactions;
        this.sealer = sealer;
    }

    public Stored save(String requestId, String inboundId, String gemeentecode, Beschikking b) {
        String id = UUID.randomUUID().toString();
        Instant now = clock.instant();
        jdbc.update(
                "insert into beschikking (id, request_id, inbound_id, gemeentecode, beschikkingnummer, besluit, received_at, body) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?)",
                id,
                requestId,
                inboundId,
                gemeentecode,
                b.beschikkingnummer(),
                b.besluit().name(),
                Timestamp.from(now),
                sealer.sealText(write(b), MessageStore.place("beschikking.body", id)));
        return new Stored(id, requestId, inboundId, gemeentecode, b.beschikkingnummer(), b.besluit(), now, b);
    }

    /** The beschikkingen on a request, oldest first. */
    public List<Stored> forRequest(String requestId) {
        return jdbc.query(
                "select * from beschikking where request_id = ? order by received_at, id",
                (rs, n) -> new Stored(
                        rs.getString("id"),
                        rs.getString("request_id"),
                        rs.getString("inbound_id"),
                        rs.getString("gemeentecode"),
                        rs.getLong("beschikkingnummer"),
                        Beschikking.Besluit.valueOf(rs.getString("besluit")),
                        rs.getTimestamp("received_at").toInstant(),
                        read(sealer.openText(
                                rs.getString("body"), MessageStore.place("beschikking.body", rs.getString("id"))))),
                requestId);
    }

    public Optional<Stored> latest(String requestId) {
        List<Stored> all = forRequest(requestId);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The ToewijzingNummers of a request, in the order they were given or last changed. */
    public List<Nummer> toewijzingen(String requestId) {
        return jdbc.query(
                "select * from toewijzing where request_id = ? order by updated_at, nummer", this::nummer, requestId);
    }

    /** What a gemeente's ToewijzingNummer is, if it is known. */
    public Optional<Nummer> nummer(String gemeentecode, long nummer) {
        return jdbc
                .query(
                        "select * from toewijzing where gemeentecode = ? and nummer = ?",
                        this::nummer,
                        gemeentecode,
                        nummer)
                .stream()
                .findFirst();
    }

    /** Records a ToewijzingNummer the gemeente assigned; {@link #nummer} must not know it yet. */
    public void register(
            String gemeentecode,
            long nummer,
            String requestId,
            Optional<String> referentieAanbieder,
            String beschikkingId) {
        insert(gemeentecode, nummer, requestId, referentieAanbieder, beschikkingId);
    }

    /**
     * A new ToewijzingNummer the gateway assigns, unique per gemeente (iWmo TR332) and never given
     * twice, also with several gateway instances on one database: the primary key (gemeentecode,
     * nummer) decides, and a number another instance took first is retried with the next, each try
     * in a savepoint of the caller's transaction.
     */
    @Transactional
    public long allocate(
            String gemeentecode, String requestId, Optional<String> referentieAanbieder, String beschikkingId) {
        TransactionTemplate savepoint = new TransactionTemplate(transactions);
        savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        for (int attempt = 1; ; attempt++) {
            Long max = jdbc.queryForObject(
                    "select max(nummer) from toewijzing where gemeentecode = ?", Long.class, gemeentecode);
            long nummer = (max == null ? 0 : max) + 1;
            try {
                savepoint.executeWithoutResult(
                        s -> insert(gemeentecode, nummer, requestId, referentieAanbieder, beschikkingId));
                return nummer;
            } catch (DuplicateKeyException e) {
                if (attempt >= MAX_ALLOCATE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private void insert(
            String gemeentecode,
            long nummer,
            String requestId,
            Optional<String> referentieAanbieder,
            String beschikkingId) {
        jdbc.update(
                "insert into toewijzing (gemeentecode, nummer, request_id, referentie_aanbieder, beschikking_id, updated_at) "
                        + "values (?, ?, ?, ?, ?, ?)",
                gemeentecode,
                nummer,
                requestId,
                referentieAanbieder.orElse(null),
                beschikkingId,
                Timestamp.from(clock.instant()));
    }

    private Nummer nummer(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Nummer(
                rs.getString("gemeentecode"),
                rs.getLong("nummer"),
                rs.getString("request_id"),
                Optional.ofNullable(rs.getString("referentie_aanbieder")),
                rs.getString("beschikking_id"));
    }

    public void reassign(String gemeentecode, long nummer, String beschikkingId) {
        jdbc.update(
                "update toewijzing set beschikking_id = ?, updated_at = ? where gemeentecode = ? and nummer = ?",
                beschikkingId,
                Timestamp.from(clock.instant()),
                gemeentecode,
                nummer);
    }

    private String write(Beschikking b) {
        try {
            return json.writeValueAsString(b);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot store beschikking", e);
        }
    }

    private Beschikking read(String s) {
        try {
            return json.readValue(s, Beschikking.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored beschikking is unreadable", e);
        }
    }
}
