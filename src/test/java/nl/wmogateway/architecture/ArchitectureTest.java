package nl.wmogateway.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The walls between the gateway's rooms, as docs/architecture.md draws them. Each rule fails the
 * build with the offending class and the arrow it draws; the fix is to move the code to the room
 * it belongs in, not to widen the rule.
 */
class ArchitectureTest {

    private static final String ROOT = "nl.wmogateway";

    /**
     * The rooms from top to bottom. A room may import only rooms in lower rows; rooms in the same
     * row do not import each other.
     */
    static final List<List<String>> LAYERS = List.of(
            List.of("app", "demo"),
            List.of("ops"),
            List.of("beschikking"),
            List.of("intake"),
            List.of("delivery", "inbound"),
            List.of("config"),
            List.of("trust"),
            List.of("store", "partner"),
            List.of("iwmo", "consent"),
            List.of("besluit"),
            List.of("plan"),
            List.of("fhir"));

    /** The domain: what a plan, a consent, a beschikking and an iWmo message are, and their rules. */
    static final List<String> DOMAIN = List.of("iwmo", "consent", "besluit", "plan", "fhir");

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        // the main classes only, wherever the build directory is (-Dbuild.dir)
        ImportOption mainOnly = location -> !location.contains("/test-classes/");
        classes = new ClassFileImporter().withImportOption(mainOnly).importPackages(ROOT);
        if (classes.stream().noneMatch(c -> c.getName().equals(ROOT + ".WmoGatewayApplication"))) {
            throw new IllegalStateException("the main classes were not found on the class path");
        }
    }

    @Test
    void noCycleBetweenPackages() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void everyPackageIsARoomOfThePicture() {
        List<String> rooms = LAYERS.stream().flatMap(List::stream).toList();
        classes()
                .should()
                .resideInAnyPackage(packages(rooms, ROOT))
                .because("every package is one of the rooms in docs/architecture.md; add a new one there first")
                .check(classes);
    }

    @Test
    void roomsImportOnlyDownward() {
        Architectures.LayeredArchitecture layers =
                Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (List<String> row : LAYERS) {
            for (String room : row) {
                layers = layers.layer(room).definedBy(ROOT + "." + room + "..");
            }
        }
        List<String> above = new ArrayList<>();
        above.add("root");
        layers = layers.layer("root").definedBy(ROOT);
        for (List<String> row : LAYERS) {
            for (String room : row) {
                layers = layers.whereLayer(room).mayOnlyBeAccessedByLayers(above.toArray(String[]::new));
            }
            above.addAll(row);
        }
        layers = layers.whereLayer("root").mayNotBeAccessedByAnyLayer();
        layers.check(classes);
    }

    @Test
    void theDomainKnowsNoFrameworkDatabaseOrNetwork() {
        noClasses()
                .that()
                .resideInAnyPackage(packages(DOMAIN))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.springframework..",
                        "org.apache.camel..",
                        "java.sql..",
                        "javax.sql..",
                        "java.net.http..",
                        "jakarta.servlet..",
                        "jakarta.jms..",
                        "org.apache.activemq..",
                        "javax.net..",
                        "org.flywaydb..")
                .because("the domain is plain Java (and HAPI for the FHIR model): flows and services wire it in")
                .check(classes);
    }

    @Test
    void onlyTrustOpensKeystores() {
        noClasses()
                .that()
                .resideOutsideOfPackage(ROOT + ".trust..")
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.security.KeyStore")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("javax.net.ssl.KeyManagerFactory")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("javax.net.ssl.TrustManagerFactory")
                .because("keystores are opened and keys chosen in one place (trust.Stores), with one rule")
                .check(classes);
    }

    private static String[] packages(List<String> rooms, String... more) {
        List<String> result =
                new ArrayList<>(rooms.stream().map(r -> ROOT + "." + r + "..").toList());
        result.addAll(Arrays.asList(more));
        return result.toArray(String[]::new);
    }
}
