package nl.wmogateway.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import nl.wmogateway.store.AuditLog;
import nl.wmogateway.support.Browser;
import nl.wmogateway.support.GatewayTestBase;
import nl.wmogateway.support.Requests;
import nl.wmogateway.support.TestPkiFiles;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The integrator's console in a real headless Chromium that presents the operator's client
 * certificate over the gateway's mutual TLS, against traffic the test made: the overview agrees with
 * the {@code /admin} API, a failed request replayed from the page ends delivered with both attempts
 * on its journey, "Toon inhoud" is audited, and a partner's certificate gets no console. Each page
 * is photographed under {@code target/console-screenshots}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest extends GatewayTestBase {

    private final ObjectMapper json = new ObjectMapper();
    private Browser operator;

    @Autowired
    private AuditLog audit;

    @BeforeAll
    void browser() {
        Assumptions.assumeTrue(Browser.available(), Browser.missing());
        operator = Browser.withCertificate(TestPkiFiles.OPERATOR, TestPkiFiles.TRUSTSTORE, port);
    }

    @AfterAll
    void closeBrowser() {
        if (operator != null) {
            operator.close();
        }
    }

    @BeforeEach
    void gemeenteAccepts() {
        GEMEENTE.resetAll();
        GEMEENTE.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(202)));
    }

    @Test
    void theOverviewShowsTheSameCountsAsTheAdminApi() throws Exception {
        Bundle first = Requests.fresh();
        delivered(first);
        delivered(Requests.fresh());
        GEMEENTE.resetAll();
        GEMEENTE.stubFor(post(urlEqualTo("/wmo/ondersteuningsplannen"))
                .willReturn(aResponse().withStatus(422).withBody("onvolledig")));
        awaitBusinessStatus(submit(Requests.fresh()), "rejected");

        // retries left by other test classes may finish meanwhile: compare page and API read together
        ChromeDriver page = open("/console/overzicht");
        assertThat(page.findElement(By.tagName("h1")).getText()).isEqualTo("Overzicht");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            page.navigate().refresh();
            JsonNode api = json.readTree(admin("GET", "/admin/overzicht").body());
            int compared = 0;
            for (String soort : List.of("gemeente", "zorg")) {
                JsonNode rows = api.get("gemeente".equals(soort) ? "perGemeente" : "perZorgorganisatie");
                assertThat(rows).isNotEmpty();
                for (JsonNode row : rows) {
                    for (String periode : List.of("vandaag", "dezeWeek")) {
                        for (var count : row.get(periode).properties()) {
                            String key = soort + ":" + row.get("partner").asText() + ":" + count.getKey() + ":"
                                    + ("vandaag".equals(periode) ? "vandaag" : "week");
                            assertThat(cell(page, "data-telling", key))
                                    .as(key)
                                    .isEqualTo(count.getValue().asText());
                            compared++;
                        }
                    }
                }
            }
            assertThat(compared).isGreaterThanOrEqualTo(4);
            assertThat(cell(page, "data-telling", "gemeente:0153:rejected:week"))
                    .isEqualTo(count(api, "0153", "rejected"))
                    .isNotIn("", "0");
            assertThat(page.findElement(By.id("telling-geparkeerd")).getText())
                    .isEqualTo(String.valueOf(api.get("geparkeerd").size()));
            assertThat(page.findElement(By.id("telling-falend")).getText())
                    .isEqualTo(String.valueOf(api.get("falend").size()));
        });
        assertThat(page.getPageSource()).doesNotContain(Requests.bsn(first));
        Path shot = operator.screenshot("overzicht");
        assertThat(Files.size(shot)).isGreaterThan(10_000);
    }

    @Test
    void aFailedRequestReplayedFromThePageEndsDeliveredAndItsJourneyShowsBothAttempts() throws Exception {
        GEMEENTE.resetAll();
        GEMEENTE.stubFor(post(urlEqualTo("/wmo/ondersteuningsplannen"))
                .willReturn(aResponse().withStatus(400).withBody("endpoint tijdelijk verkeerd")));
        Bundle bundle = Requests.fresh();
        String taskId = submit(bundle);
        awaitBusinessStatus(taskId, "rejected");
        gemeenteAccepts();

        ChromeDriver page = open("/console/acties");
        operator.screenshot("acties");
        navigate(page, page.findElement(By.cssSelector("a[href*='actie=replay'][href*='id=" + taskId + "']")));
        assertThat(page.findElement(By.tagName("h1")).getText()).isEqualTo("Opnieuw aanbieden");
        assertThat(page.findElement(By.id("onderwerp")).getText()).isEqualTo(taskId);
        operator.screenshot("bevestigen");
        page.findElement(By.id("reden")).sendKeys("endpoint van de gemeente hersteld");
        navigate(page, page.findElement(By.id("bevestig")));

        assertThat(page.getCurrentUrl())
                .contains("/console/aanvragen/" + taskId)
                .contains("gedaan=replay");
        awaitBusinessStatus(taskId, "delivered");
        page.navigate().refresh();
        assertThat(page.findElement(By.id("status")).getText()).isEqualTo("afgeleverd");
        List<WebElement> attempts = page.findElements(By.cssSelector("#reis li[data-stap='afleverpoging']"));
        assertThat(attempts).extracting(WebElement::getText).hasSize(2);
        assertThat(attempts.get(0).getText()).contains("HTTP 400");
        assertThat(attempts.get(1).getText()).contains("HTTP 202");
        assertThat(page.findElement(By.id("reis")).getText())
                .contains("opnieuw aangeboden")
                .contains("endpoint van de gemeente hersteld");
        assertThat(page.getPageSource()).doesNotContain(Requests.bsn(bundle));
        operator.screenshot("aanvraag");

        JsonNode detail =
                json.readTree(admin("GET", "/admin/requests/" + taskId).body());
        assertThat(detail.get("journey").findValuesAsText("stap"))
                .filteredOn("afleverpoging"::equals)
                .hasSize(2);
        assertThat(detail.get("audit").findValuesAsText("actor")).contains("operator:test-integrator");
    }

    @Test
    void showingTheContentIsAnExplicitAuditedStep() throws Exception {
        Bundle bundle = Requests.fresh();
        String taskId = delivered(bundle);

        ChromeDriver page = open("/console/aanvragen/" + taskId);
        assertThat(page.getPageSource()).doesNotContain(Requests.bsn(bundle));
        page.findElement(By.id("reden-inhoud")).sendKeys("controle op verzoek van de gemeente");
        navigate(page, page.findElement(By.id("toon-inhoud")));

        assertThat(page.findElement(By.id("inhoud-tekst")).getText()).contains(Requests.bsn(bundle));
        operator.screenshot("inhoud");

        page = open("/console/aanvragen/" + taskId);
        WebElement message = page.findElements(By.cssSelector("details.bericht-inhoud")).stream()
                .filter(d -> d.getText().contains("WMO315"))
                .findFirst()
                .orElseThrow();
        message.findElement(By.tagName("summary")).click();
        message.findElement(By.name("reden")).sendKeys("controle van het WMO315-bericht");
        navigate(page, message.findElement(By.cssSelector("button[type=submit]")));
        assertThat(page.findElement(By.tagName("h1")).getText()).isEqualTo("Inhoud: WMO315");
        assertThat(page.findElement(By.id("inhoud-tekst")).getText()).contains("<");
        assertThat(audit.forRequest(taskId)).anySatisfy(e -> {
            assertThat(e.actor()).isEqualTo("operator:test-integrator");
            assertThat(e.action()).isEqualTo("VIEW");
            assertThat(e.outcome()).isEqualTo("CONTENT_SHOWN");
            assertThat(e.detail().orElse("")).contains("controle op verzoek van de gemeente");
        });
        assertThat(audit.forRequest(taskId)).anySatisfy(e -> {
            assertThat(e.outcome()).isEqualTo("CONTENT_SHOWN");
            assertThat(e.detail().orElse("")).startsWith("WMO315 ").contains("controle van het WMO315-bericht");
        });
    }

    @Test
    void theTrafficPageFiltersByRequestAndShowsNoClientData() throws Exception {
        Bundle bundle = Requests.fresh();
        String taskId = delivered(bundle);

        ChromeDriver page = open("/console/verkeer");
        page.findElement(By.id("f-aanvraag")).sendKeys(taskId);
        navigate(page, page.findElement(By.cssSelector("form.filter button[type=submit]")));

        List<WebElement> rows = page.findElements(By.cssSelector("#verkeer tbody tr"));
        assertThat(rows).isNotEmpty().allSatisfy(r -> assertThat(r.getText()).contains(taskId));
        assertThat(page.findElements(By.cssSelector("#verkeer tbody tr td:nth-child(2)")))
                .extracting(WebElement::getText)
                .contains("in", "uit")
                .containsOnly("in", "uit");
        assertThat(page.getPageSource()).doesNotContain(Requests.bsn(bundle));
        JsonNode api =
                json.readTree(admin("GET", "/admin/traffic?request=" + taskId).body());
        assertThat(rows).hasSize(api.get("entries").size());
        operator.screenshot("verkeer");
    }

    @Test
    void thePilotFiguresPageDrawsChartsAndOffersTheCsv() throws Exception {
        delivered(Requests.fresh());

        ChromeDriver page = open("/console/pilotcijfers");

        assertThat(page.findElements(By.cssSelector("figure svg"))).hasSize(3);
        assertThat(page.findElements(By.cssSelector("#weken tbody tr"))).hasSize(12);
        String csvLink = page.findElement(By.id("csv")).getAttribute("href");
        HttpResponse<String> csv = jdkClient(TestPkiFiles.OPERATOR)
                .send(HttpRequest.newBuilder(URI.create(csvLink)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("content-type").orElse("")).startsWith("text/csv");
        assertThat(csv.body().lines().findFirst().orElse("")).startsWith("week;maandag;aanvragen");
        assertThat(csv.body().lines().count()).isEqualTo(13);
        operator.screenshot("pilotcijfers");
    }

    @Test
    void everyPageIsUsableWithKeyboardAndScreenReader() throws Exception {
        String taskId = delivered(Requests.fresh());
        for (String path : List.of(
                "/console/overzicht",
                "/console/verkeer",
                "/console/acties",
                "/console/pilotcijfers",
                "/console/aanvragen/" + taskId,
                "/console/acties/bevestig?actie=replay&id=" + taskId)) {
            ChromeDriver page = open(path);
            assertThat(page.findElement(By.tagName("html")).getAttribute("lang"))
                    .as(path)
                    .isEqualTo("nl");
            assertThat(page.findElements(By.tagName("h1"))).as(path).hasSize(1);
            assertThat(page.findElements(By.cssSelector("main#inhoud")))
                    .as(path)
                    .hasSize(1);
            for (WebElement field : page.findElements(By.cssSelector("input:not([type=hidden]), select, textarea"))) {
                String id = field.getAttribute("id");
                assertThat(id).as(path + ": a form field without an id").isNotBlank();
                assertThat(page.findElements(By.cssSelector("label[for='" + id + "']")))
                        .as(path + ": no label for " + id)
                        .hasSize(1);
            }
            for (WebElement table : page.findElements(By.tagName("table"))) {
                assertThat(table.findElements(By.tagName("caption")))
                        .as(path + ": a table without a caption")
                        .hasSize(1);
                assertThat(table.findElements(By.cssSelector("thead th[scope=col]")))
                        .as(path + ": a table without column headers")
                        .isNotEmpty();
            }
            for (WebElement chart : page.findElements(By.tagName("svg"))) {
                assertThat(chart.getAttribute("role")).isEqualTo("img");
                String label = chart.getAttribute("aria-labelledby");
                assertThat(page.findElement(By.id(label)).getText()).isNotBlank();
            }
            // the first Tab lands on the skip link, which leads to the content
            page.findElement(By.tagName("body")).sendKeys(org.openqa.selenium.Keys.TAB);
            WebElement focused = page.switchTo().activeElement();
            assertThat(focused.getText()).as(path).isEqualTo("Naar de inhoud");
            assertThat(focused.getAttribute("href")).endsWith("#inhoud");
        }
    }

    @Test
    void aPartnersCertificateGetsNoConsole() throws Exception {
        try (Browser partner = Browser.withCertificate(TestPkiFiles.EHR, TestPkiFiles.TRUSTSTORE, port)) {
            partner.driver().get(base() + "/console/overzicht");
            assertThat(partner.driver().findElement(By.tagName("h1")).getText()).isEqualTo("Geen toegang");
            assertThat(partner.driver().getPageSource()).doesNotContain("Aanvragen per gemeente");
            partner.screenshot("geen-toegang");
        }
        assertThat(jdkClient(TestPkiFiles.EHR)
                        .send(
                                HttpRequest.newBuilder(URI.create(base() + "/console/verkeer"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(403);
        assertThat(audit.recent(100)).anySatisfy(e -> {
            assertThat(e.actor()).isEqualTo("certificate:" + TestPkiFiles.EHR_SUBJECT);
            assertThat(e.action()).isEqualTo("ADMIN");
            assertThat(e.outcome()).isEqualTo("FORBIDDEN");
            assertThat(e.detail().orElse("")).contains("GET /console/verkeer");
        });
    }

    @Test
    void aFormPostedFromElsewhereOrWithoutItsTokenChangesNothing() throws Exception {
        GEMEENTE.resetAll();
        GEMEENTE.stubFor(post(urlEqualTo("/wmo/ondersteuningsplannen"))
                .willReturn(aResponse().withStatus(400)));
        String taskId = submit(Requests.fresh());
        awaitBusinessStatus(taskId, "rejected");
        String token = open("/console/acties/bevestig?actie=replay&id=" + taskId)
                .findElement(By.name("token"))
                .getAttribute("value");
        String form = "actie=replay&id=" + URLEncoder.encode(taskId, StandardCharsets.UTF_8) + "&reden=zomaar";

        HttpResponse<String> crossSite = consolePost(form + "&token=" + token, "https://elders.example", "cross-site");
        HttpResponse<String> otherOrigin = consolePost(form + "&token=" + token, "https://elders.example", null);
        HttpResponse<String> noMarker = consolePost(form + "&token=" + token, null, null);
        HttpResponse<String> noToken = consolePost(form, base(), "same-origin");
        HttpResponse<String> adminCrossSite = jdkClient(TestPkiFiles.OPERATOR)
                .send(
                        HttpRequest.newBuilder(
                                        URI.create(base() + "/admin/requests/" + taskId + "/replay?reason=zomaar"))
                                .header("Origin", "https://elders.example")
                                .header("Sec-Fetch-Site", "cross-site")
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> embeddedRead = jdkClient(TestPkiFiles.OPERATOR)
                .send(
                        HttpRequest.newBuilder(URI.create(base() + "/admin/requests/" + taskId))
                                .header("Sec-Fetch-Site", "cross-site")
                                .header("Sec-Fetch-Mode", "no-cors")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(List.of(crossSite, otherOrigin, noMarker, noToken, adminCrossSite, embeddedRead))
                .extracting(HttpResponse::statusCode)
                .containsOnly(403);
        assertThat(noToken.body()).contains("formulier");
        assertThat(store.request(taskId).orElseThrow().status().name()).isEqualTo("REJECTED");
        assertThat(audit.forRequest(taskId))
                .noneSatisfy(e -> assertThat(e.action()).isIn("REPLAY", "VIEW"));
        assertThat(audit.recent(50)).anySatisfy(e -> {
            assertThat(e.outcome()).isEqualTo("CROSS_SITE_REFUSED");
            assertThat(e.detail().orElse("")).contains("POST /admin/requests/" + taskId + "/replay");
        });
        assertThat(noToken.headers().firstValue("content-security-policy").orElse(""))
                .contains("frame-ancestors 'none'");
    }

    @Test
    void aGemeentesRefusalThatQuotesTheClientIsListedWithoutTheBsn() throws Exception {
        Bundle bundle = Requests.fresh();
        GEMEENTE.resetAll();
        GEMEENTE.stubFor(post(urlEqualTo("/wmo/ondersteuningsplannen"))
                .willReturn(aResponse().withStatus(422).withBody("BSN " + Requests.bsn(bundle) + " onbekend")));
        String taskId = submit(bundle);
        awaitBusinessStatus(taskId, "rejected");

        ChromeDriver page = open("/console/acties");
        assertThat(page.getPageSource()).contains(taskId).contains("[bsn]").doesNotContain(Requests.bsn(bundle));
        open("/console/aanvragen/" + taskId);
        assertThat(page.getPageSource()).doesNotContain(Requests.bsn(bundle));
        assertThat(admin("GET", "/admin/requests?status=rejected").body()).doesNotContain(Requests.bsn(bundle));
    }

    private HttpResponse<String> consolePost(String form, String origin, String site) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/console/acties"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (origin != null) {
            request.header("Origin", origin);
        }
        if (site != null) {
            request.header("Sec-Fetch-Site", site);
        }
        return jdkClient(TestPkiFiles.OPERATOR).send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private ChromeDriver open(String path) {
        ChromeDriver page = operator.driver();
        page.get(base() + path);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !page.findElements(By.tagName("h1")).isEmpty());
        return page;
    }

    /** Clicks something that loads another page, and waits until the new page is there. */
    private static void navigate(ChromeDriver page, WebElement target) {
        WebElement before = page.findElement(By.tagName("html"));
        target.click();
        new org.openqa.selenium.support.ui.WebDriverWait(page, Duration.ofSeconds(15))
                .until(org.openqa.selenium.support.ui.ExpectedConditions.stalenessOf(before));
        await().atMost(Duration.ofSeconds(15))
                .until(() -> !page.findElements(By.tagName("h1")).isEmpty());
    }

    private static String cell(ChromeDriver page, String attribute, String key) {
        List<WebElement> found = page.findElements(By.cssSelector("[" + attribute + "='" + key + "']"));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    private static String count(JsonNode api, String gemeente, String status) {
        for (JsonNode row : api.get("perGemeente")) {
            if (gemeente.equals(row.get("partner").asText())) {
                return row.at("/dezeWeek/" + status.toLowerCase(Locale.ROOT)).asText();
            }
        }
        return "";
    }

    private HttpResponse<String> admin(String method, String path) throws Exception {
        return jdkClient(TestPkiFiles.OPERATOR)
                .send(
                        HttpRequest.newBuilder(URI.create(base() + path))
                                .method(method, HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private String base() {
        return "https://localhost:" + port;
    }
}
