package nl.wmogateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import nl.wmogateway.support.engines.FakeGemeente;
import nl.wmogateway.support.engines.GatewayProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * An existing {@code data/} from before the gateway had migrations keeps working: a gateway
 * process starts on an H2 database made with the schema of that time, with a message in it,
 * baselines it, adds what the schema lacks, and the message is still there. A second start
 * changes nothing.
 */
class MigrationUpgradeTest {

    @Test
    void aGatewayStartsOnADatabaseFromBeforeMigrationsAndUpgradesIt(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("wmo-gateway") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        DriverManagerDataSource old =
                new DriverManagerDataSource(url, GatewayProcess.H2_USER, GatewayProcess.H2_PASSWORD);
        ResourceDatabasePopulator schema =
                new ResourceDatabasePopulator(new ClassPathResource("db/schema-before-migrations-h2.sql"));
        schema.setSqlScriptEncoding(StandardCharsets.UTF_8.name());
        schema.execute(old);
        JdbcTemplate jdbc = new JdbcTemplate(old);
        jdbc.update(
                "insert into inbound_message (id, received_at, channel, sender, content_type, body, outcome) "
                        + "values (?, ?, 'fhir', 'CN=before', 'application/fhir+json', ?, 'ACCEPTED')",
                "from-before",
                Timestamp.from(Instant.parse("2026-11-30T10:00:00Z")),
                "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(tables(jdbc)).doesNotContain("FLYWAY_SCHEMA_HISTORY", "IWMO_RETOUR");
        jdbc.execute("shutdown");

        try (FakeGemeente gemeente = FakeGemeente.start()) {
            Map<String, String> settings =
                    new java.util.HashMap<>(GatewayProcess.testSettings(gemeente.writePartners()));
            settings.put("spring.datasource.url", url);
            for (int start = 1; start <= 2; start++) {
                try (GatewayProcess gateway = new GatewayProcess("upgrade-" + start, settings)) {
                    gateway.start().awaitReady(Duration.ofMinutes(3));
                    gateway.stop();
                }
            }
        }

        JdbcTemplate after =
                new JdbcTemplate(new DriverManagerDataSource(url, GatewayProcess.H2_USER, GatewayProcess.H2_PASSWORD));
        assertThat(tables(after))
                .contains("FLYWAY_SCHEMA_HISTORY", "IWMO_RETOUR", "IWMO_RETOUR_KLASSE", "INBOUND_MESSAGE");
        assertThat(after.queryForList(
                        "select \"version\" from \"flyway_schema_history\" where \"success\" and \"version\" is not null order by \"installed_rank\"",
                        String.class))
                .as("the baseline of the schema from before migrations, then every migration in db/migration")
                .containsExactlyElementsOf(migrationVersions());
        assertThat(after.queryForObject("select sender from inbound_message where id = 'from-before'", String.class))
                .isEqualTo("CN=before");
        after.execute("shutdown");
        assertThat(Files.exists(dir.resolve("wmo-gateway.mv.db"))).isTrue();
    }

    private static List<String> tables(JdbcTemplate jdbc) {
        return jdbc.queryForList(
                "select upper(table_name) from information_schema.tables where table_schema = 'PUBLIC'", String.class);
    }

    /** "0" (the baseline) and the version of every file in db/migration and db/vendor/h2, in order. */
    private static List<String> migrationVersions() throws IOException {
        List<String> versions = new ArrayList<>(List.of("0"));
        List<Integer> found = new ArrayList<>();
        for (String dir : List.of("src/main/resources/db/migration", "src/main/resources/db/vendor/h2")) {
            try (Stream<Path> files = Files.list(Path.of(dir))) {
                files.map(f -> f.getFileName().toString())
                        .filter(n -> n.matches("V\\d+__.*\\.sql"))
                        .map(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
                        .forEach(found::add);
            }
        }
        found.stream().sorted(Comparator.naturalOrder()).map(String::valueOf).forEach(versions::add);
        return versions;
    }
}
