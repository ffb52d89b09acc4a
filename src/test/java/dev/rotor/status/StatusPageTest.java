package dev.rotor.status;

import dev.rotor.api.Api;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import dev.rotor.local.DemoSeed;
import dev.rotor.local.faults.Faults;
import io.grpc.Status;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The status page as an operator sees it: headless Chromium opens it through a token-adding proxy (what
 * {@code gcloud run services proxy --token} does) in front of Rotor in cloud-run mode behind the emulated Cloud Run
 * front end, and what it rendered is checked against {@code GET /v1/secrets}. The demo project is seeded, then one
 * run meets a consumer that refuses to roll, a key for an account that does not exist and a hostile declaration;
 * 50 minutes later the tokens are past their refresh time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusPageTest {
    static final String HOSTILE = "<img src=x onerror=alert(1)>\"'&";
    private final Api rotor = new Api();
    private List<Map<String, Object>> api;
    private Document page;
    private TokenProxy proxy;

    @BeforeAll
    void render() throws Exception {
        DemoSeed.seed(rotor.env.emulator);
        rotor.declare("ghost-key", Map.of("rotor.kind", "service-account-key",
                "rotor.service-account", "ghost@demo-project.iam.gserviceaccount.com"), true);
        rotor.declare("hostile", Map.of("rotor.kind", HOSTILE), true);
        rotor.env.emulator.faults().fail("UpdateService", Status.Code.PERMISSION_DENIED, Faults.When.BEFORE, 1000);
        assertEquals(500, rotor.as(Api.SCHEDULER, "POST", "/v1/runs", null).statusCode(), "two secrets fail");
        rotor.env.clock.advance(Duration.ofMinutes(50));
        api = Listing.of(rotor);
        proxy = new TokenProxy(rotor.base, () -> rotor.token(Api.OPERATOR));
        page = Jsoup.parse(Chromium.dumpDom(proxy.url()));
    }

    @AfterAll
    void close() {
        if (proxy != null) {
            proxy.close();
        }
        rotor.close();
    }

    private static String id(Map<String, Object> row) {
        return row.get("project") + "/" + row.get("secret");
    }

    private Element row(String id) {
        return Objects.requireNonNull(page.selectFirst("tr.secret[data-secret=\"" + id + "\"]"), "no row for " + id);
    }

    private List<String> badges(String secret) {
        return row("demo-project/" + secret).select(".badge").eachText();
    }

    @Test
    void everySecretOfTheListingShowsItsKindVersionAndLastOutcome() {
        assertEquals(api.size(), page.select("tr.secret").size(), page.select("tr.secret").eachAttr("data-secret").toString());
        assertEquals(7, api.size());
        for (Map<String, Object> r : api) {
            Element tr = row(id(r));
            assertEquals(r.get("kind") == null ? "unknown" : r.get("kind"), tr.selectFirst(".kind").text(), id(r));
            assertEquals(r.get("currentVersion") == null ? "none" : "v" + r.get("currentVersion"),
                    tr.selectFirst(".version").text(), id(r));
            assertEquals(r.get("lastOutcome") == null ? "none yet" : r.get("lastOutcome"),
                    tr.selectFirst(".outcome").text(), id(r));
            assertEquals(Objects.toString(r.get("nextDue"), ""), tr.selectFirst(".next-due").attr("title"), id(r));
            assertEquals(Objects.toString(r.get("expiresAt"), ""), tr.selectFirst(".expiry").attr("title"), id(r));
        }
        assertEquals("7 managed secrets, 5 with problems.", page.selectFirst("p.summary").text().split(" Generated")[0]);
    }

    @Test
    void problemsComeFirstMostUrgentFirst() {
        assertEquals(List.of("demo-project/demo-db-password", "demo-project/ghost-key", "demo-project/hostile",
                        "demo-project/demo-access-token", "demo-project/demo-id-token", "demo-project/demo-sa-key",
                        "demo-project/demo-api-key"),
                page.select("tr.secret").eachAttr("data-secret"));
        assertEquals(List.of("failed", "not rolled"), badges("demo-db-password"));
        assertEquals(List.of("failed"), badges("ghost-key"));
        assertEquals(List.of("misconfigured"), badges("hostile"));
        assertEquals(List.of("expiring"), badges("demo-access-token"));
        assertEquals(List.of(), badges("demo-api-key"));
        assertTrue(row("demo-project/demo-api-key").hasClass("ok"));
        assertTrue(row("demo-project/ghost-key").hasClass("problem"));
    }

    @Test
    void aConsumerThatDidNotRollSaysSoAndHowLongItHasWaited() {
        Element consumer = row("demo-project/demo-db-password").selectFirst("li.consumer");
        assertEquals("run:" + DemoSeed.SERVICE, consumer.attr("data-target"));
        assertEquals("nothing confirmed", consumer.selectFirst(".serves").text());
        assertEquals("waiting 50m 0s", consumer.selectFirst(".note").text());
    }

    @Test
    void aTokensTimelineShowsHowMuchOfItsLifeHasPassed() {
        Element bar = row("demo-project/demo-access-token").selectFirst(".bar");
        assertEquals("expires in 10m 0s", bar.attr("aria-label"));
        assertTrue(bar.selectFirst(".fill").attr("style").contains("width: 83%"), bar.outerHtml());
        assertTrue(bar.selectFirst(".fill").hasClass("due"), "past its refresh time: " + bar.outerHtml());
        assertTrue(bar.selectFirst(".mark").attr("style").contains("left: 75%"), bar.outerHtml());
    }

    @Test
    void aHostileDeclarationIsShownAsTextAndNeverAsMarkup() {
        String outcome = row("demo-project/hostile").selectFirst(".outcome").text();
        assertTrue(outcome.contains(HOSTILE), outcome);
        assertTrue(page.select("img, script, iframe, link, object, embed").isEmpty(), page.body().html());
        String raw = rotor.as(Api.OPERATOR, "GET", "/", null).body();
        assertFalse(raw.contains("<img"), "the served HTML carries the declaration escaped");
        assertTrue(raw.contains("&lt;img src"), raw);
    }

    @Test
    void noPayloadReachesThePage() {
        var client = rotor.env.bean(SecretManagerServiceClient.class);
        List<String> payloads = api.stream().filter(r -> r.get("currentVersion") != null)
                .map(r -> client.accessSecretVersion("projects/demo-project/secrets/" + r.get("secret") + "/versions/"
                        + r.get("currentVersion")).getPayload().getData().toStringUtf8()).toList();
        assertEquals(5, payloads.size(), "every secret that rotated has a payload to look for");
        String raw = rotor.as(Api.OPERATOR, "GET", "/", null).body();
        for (String payload : payloads) {
            String part = payload.length() > 40 ? payload.substring(payload.length() - 40) : payload;
            assertFalse(page.html().contains(part) || raw.contains(part), "a payload leaked: " + part.substring(0, 4) + "...");
        }
    }

    @Test
    void theScreenshotIsSavedUnderTarget() throws Exception {
        Path png = Path.of("target", "status.png");
        Files.deleteIfExists(png);
        Chromium.screenshot(proxy.url(), png, 1500, 900);
        byte[] head = Files.readAllBytes(png);
        assertTrue(head.length > 1000, "a rendered page, not an empty image: " + head.length + " bytes");
        assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(head, 4));
    }
}
