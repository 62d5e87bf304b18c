package io.kairos.http.console;

import static org.assertj.core.api.Assertions.assertThat;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.headers.Cookie;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.testkit.TestRouteResult;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.kairos.http.ConsoleSessions;
import io.kairos.http.ShopperRouteTest;
import org.junit.Test;
import org.slf4j.LoggerFactory;

/**
 * The console's session: who may log in, the cookie's attributes, the API called with it (roles kept, CSRF token
 * required for changes, shopper views logged), and its page and assets under a policy without inline scripts.
 */
public class ConsoleApiTest extends ShopperRouteTest {
    private TestRouteResult login(String key) {
        return sendChecked(HttpRequest.POST("/console/session")
                .withEntity(ContentTypes.APPLICATION_JSON, "{\"key\":\"" + key + "\"}"));
    }

    /** Sends without an API key (a session's cookie, or nothing) and checks the answer's contract. */
    private TestRouteResult sendChecked(HttpRequest request) {
        return send(request, null);
    }

    /** The cookie pair ({@code name=value}) a login set. */
    private static String cookieOf(TestRouteResult login) {
        var setCookie = login.response().getHeader("Set-Cookie").orElseThrow().value();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private TestRouteResult withSession(HttpRequest request, String cookie) {
        int eq = cookie.indexOf('=');
        return sendChecked(request.addHeader(Cookie.create(cookie.substring(0, eq), cookie.substring(eq + 1))));
    }

    @Test
    public void anOperatorLogsInWithAnHttpOnlyStrictCookieThatNamesTheKeyNotTheKey() {
        var r = login("operator-key");
        r.assertStatusCode(200);
        var setCookie = r.response().getHeader("Set-Cookie").orElseThrow().value();
        assertThat(setCookie)
                .startsWith(ConsoleSessions.COOKIE + "=")
                .contains("HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=28800")
                .doesNotContain("operator-key")
                .doesNotContain("Secure");
        assertThat(body(r).path("keyId").asText()).isEqualTo("ops-console");
        assertThat(body(r).path("role").asText()).isEqualTo("operator");
        assertThat(body(r).path("csrfToken").asText()).isNotBlank();

        var again = withSession(HttpRequest.GET("/console/session"), cookieOf(r));
        again.assertStatusCode(200);
        assertThat(body(again).path("csrfToken").asText())
                .isEqualTo(body(r).path("csrfToken").asText());
    }

    @Test
    public void onlyOperatorAndAuditorKeysLogIn() {
        login("auditor-key").assertStatusCode(200);
        login("admin-key1").assertStatusCode(403);
        login("ingest-key").assertStatusCode(403);
        login("not-a-key-at-all").assertStatusCode(401);
        sendChecked(HttpRequest.POST("/console/session").withEntity(ContentTypes.APPLICATION_JSON, "{\"key\":\"\"}"))
                .assertStatusCode(400);
        sendChecked(HttpRequest.GET("/console/session")).assertStatusCode(204);
    }

    @Test
    public void aChangeThroughTheSessionNeedsItsCsrfTokenAndItsRole() {
        post("/v1/campaigns", campaign("con-c", FIVE_OFF, ""), "operator-key").assertStatusCode(201);
        var operator = login("operator-key");
        var cookie = cookieOf(operator);
        var csrf = body(operator).path("csrfToken").asText();
        var pause = HttpRequest.PATCH("/v1/campaigns/con-c")
                .withEntity(ContentTypes.APPLICATION_JSON, "{\"status\":\"paused\"}");

        withSession(HttpRequest.GET("/v1/campaigns/con-c/stats"), cookie).assertStatusCode(200);
        var noToken = withSession(pause, cookie);
        noToken.assertStatusCode(403);
        assertThat(body(noToken).path("type").asText()).endsWith("/csrf");
        withSession(pause.addHeader(RawHeader.create(ConsoleSessions.CSRF_HEADER, csrf + "x")), cookie)
                .assertStatusCode(403);
        var paused = withSession(pause.addHeader(RawHeader.create(ConsoleSessions.CSRF_HEADER, csrf)), cookie);
        paused.assertStatusCode(200);
        assertThat(body(paused).path("status").asText()).isEqualTo("paused");

        var auditor = login("auditor-key");
        var resume = HttpRequest.PATCH("/v1/campaigns/con-c")
                .withEntity(ContentTypes.APPLICATION_JSON, "{\"status\":\"active\"}")
                .addHeader(RawHeader.create(
                        ConsoleSessions.CSRF_HEADER,
                        body(auditor).path("csrfToken").asText()));
        var refused = withSession(resume, cookieOf(auditor));
        refused.assertStatusCode(403);
        assertThat(body(refused).path("type").asText()).endsWith("/forbidden");
        assertThat(body(get("/v1/campaigns/con-c", "operator-key"))
                        .path("status")
                        .asText())
                .isEqualTo("paused");
    }

    @Test
    public void aForgedOrTamperedCookieIsNoSession() {
        var cookie = cookieOf(login("auditor-key"));
        var value = cookie.substring(cookie.indexOf('=') + 1);
        var payload = value.substring(0, value.indexOf('.'));
        var forged = ConsoleSessions.COOKIE + "=" + payload + "." + "AAAA" + value.substring(value.indexOf('.') + 5);
        withSession(HttpRequest.GET("/v1/campaigns"), forged).assertStatusCode(401);
        withSession(HttpRequest.GET("/v1/campaigns"), ConsoleSessions.COOKIE + "=garbage")
                .assertStatusCode(401);
        withSession(HttpRequest.GET("/v1/campaigns"), cookie).assertStatusCode(200);
    }

    @Test
    public void personalDataReadThroughTheConsoleIsLoggedWithTheKeyId() {
        knownShopper("con-s1");
        var logger = (Logger) LoggerFactory.getLogger("kairos.console.access");
        var appender = new ListAppender<ILoggingEvent>();
        appender.start();
        logger.addAppender(appender);
        try {
            var cookie = cookieOf(login("auditor-key"));
            withSession(HttpRequest.GET("/v1/shoppers/con-s1"), cookie).assertStatusCode(200);
            withSession(HttpRequest.GET("/v1/audit/shoppers/con-s1/state"), cookie);
            withSession(HttpRequest.GET("/v1/campaigns"), cookie).assertStatusCode(200);
            get("/v1/shoppers/con-s1", "auditor-key").assertStatusCode(200);
        } finally {
            logger.detachAppender(appender);
        }
        // the shopper and its audit trail through the session; not the campaigns, not the read with a key
        assertThat(appender.list).hasSize(2);
        assertThat(appender.list.get(0).getFormattedMessage())
                .contains(
                        "(auditor)",
                        "/v1/shoppers/con-s1",
                        "shopperRef=" + sha256("con-s1").substring(0, 16));
        assertThat(appender.list.get(1).getFormattedMessage()).contains("/v1/audit/shoppers/con-s1/state");
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    public void thePageAndItsAssetsForbidInlineScriptsAndComeFromThisNode() {
        var page = testRoute(route).run(HttpRequest.GET("/console/"));
        page.assertStatusCode(200);
        var csp = page.response()
                .getHeader("Content-Security-Policy")
                .orElseThrow()
                .value();
        assertThat(csp).contains("script-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe-inline");
        var html = page.entityString();
        assertThat(html)
                .contains("src=\"assets/console.js\"")
                .doesNotContain("<script>")
                .doesNotContainPattern(" on[a-z]+=");
        assertThat(html).doesNotContain("http://").doesNotContain("https://");
        testRoute(route).run(HttpRequest.GET("/console/assets/console.js")).assertStatusCode(200);
        var uplot = testRoute(route).run(HttpRequest.GET("/console/vendor/uplot/uPlot.esm.js"));
        uplot.assertStatusCode(200);
        assertThat(uplot.entityString()).contains("uPlot");
        testRoute(route).run(HttpRequest.GET("/console/assets/../index.html")).assertStatusCode(404);
    }

    @Test
    public void liveCountsAreForOperatorsAndAuditors() {
        var live = get("/v1/live", "operator-key");
        live.assertStatusCode(200);
        assertThat(body(live).has("decisions")).isTrue();
        get("/v1/live", "auditor-key").assertStatusCode(200);
        get("/v1/live", "ingest-key").assertStatusCode(403);
    }
}
