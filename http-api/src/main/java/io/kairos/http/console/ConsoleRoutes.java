package io.kairos.http.console;

import static akka.http.javadsl.server.Directives.*;
import static io.kairos.http.ApiDirectives.json;

import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.HttpCookie;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.model.headers.SameSite;
import akka.http.javadsl.model.headers.SetCookie;
import akka.http.javadsl.server.Route;
import io.kairos.http.ApiDirectives;
import io.kairos.http.ApiException;
import io.kairos.http.ConsoleSessions;
import io.kairos.http.Problem;
import io.kairos.http.RouteContext;
import java.time.Instant;
import java.util.List;
import org.webjars.WebJarVersionLocator;

/**
 * The operator console at {@code /console}: its page and assets (from this jar, and uPlot from its WebJar; nothing from
 * a CDN), and its session, {@code POST /console/session} (log in with an operator or auditor API key: a signed,
 * HttpOnly, SameSite=Strict cookie; {@code secure}: {@code Secure} and named {@code __Host-kairos_console}, for TLS on
 * the node or on a proxy in front of it), {@code GET} (who is logged in, and the CSRF token; 204 when nobody is) and
 * {@code DELETE} (log out). The console's calls go to the {@code /v1} API with that cookie ({@link ConsoleSessions}).
 * Every answer forbids inline scripts and framing.
 */
public record ConsoleRoutes(RouteContext ctx, boolean secure) {
    /** Scripts, styles, images and connections from this origin only: no inline script, no framing. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static final List<HttpHeader> HEADERS = List.of(
            RawHeader.create("Content-Security-Policy", CSP),
            RawHeader.create("X-Content-Type-Options", "nosniff"),
            RawHeader.create("X-Frame-Options", "DENY"),
            RawHeader.create("Referrer-Policy", "no-referrer"));
    private static final HttpHeader REVALIDATE = RawHeader.create("Cache-Control", "no-cache");

    /** The uPlot WebJar's version on the classpath (webjars-locator-lite reads it from the jar). */
    static final String UPLOT = java.util.Objects.requireNonNull(
            new WebJarVersionLocator().version("uplot"), "the uPlot WebJar is missing from the classpath");

    /** The key to log in with. */
    public record Login(String key) {}

    /** A session: the key's id and role, when it ends, and the token state-changing calls must send. */
    public record SessionView(String keyId, String role, Instant expiresAt, String csrfToken) {}

    public Route routes() {
        var uplot = "META-INF/resources/webjars/uplot/" + UPLOT + "/dist";
        return respondWithHeaders(
                HEADERS,
                () -> pathPrefix(
                        "console",
                        () -> concat(
                                pathEnd(() -> redirect(
                                        akka.http.javadsl.model.Uri.create("/console/"),
                                        StatusCodes.PERMANENT_REDIRECT)),
                                path("session", this::session),
                                respondWithHeader(
                                        REVALIDATE,
                                        () -> concat(
                                                pathSingleSlash(() -> get(() -> getFromResource("console/index.html"))),
                                                pathPrefix(
                                                        "assets",
                                                        () -> get(() -> getFromResourceDirectory("console/assets"))),
                                                pathPrefix(
                                                        "vendor",
                                                        () -> pathPrefix(
                                                                "uplot",
                                                                () -> get(() -> getFromResourceDirectory(uplot)))))))));
    }

    private Route session() {
        return respondWithHeader(
                RawHeader.create("Cache-Control", "no-store"),
                () -> concat(
                        post(() -> ctx.jsonBody(Login.class, this::login)),
                        get(() -> optionalCookie(cookieName(), cookie -> {
                            // No session is an answer, not an error: the page asks on every load.
                            var session =
                                    cookie.flatMap(c -> ctx.keys().console().verify(c.value()));
                            return session.isEmpty()
                                    ? complete(StatusCodes.NO_CONTENT)
                                    : complete(json(StatusCodes.OK, view(session.get())));
                        })),
                        delete(() -> complete(HttpResponse.create()
                                .withStatus(StatusCodes.NO_CONTENT)
                                .addHeader(SetCookie.create(cookie("", 0)))))));
    }

    private Route login(Login login) {
        if (login == null || login.key() == null || login.key().isBlank())
            throw ApiException.badRequest("key", "is required");
        if (login.key().length() > 512) throw ApiException.badRequest("key", "is longer than 512 characters");
        var key = ctx.keys().lookup(login.key().trim());
        if (key.isEmpty() || key.get().expired())
            return complete(ApiDirectives.unauthorized("the API key is not valid or has expired", ctx.settings()));
        if (!ConsoleSessions.ROLES.contains(key.get().role()))
            return complete(ApiDirectives.problem(
                    Problem.of(403, "forbidden", "Forbidden", "only operator and auditor keys log in to the console"),
                    ctx.settings()));
        var value = ctx.keys().console().open(key.get());
        var session = ctx.keys().console().verify(value).orElseThrow();
        return complete(json(StatusCodes.OK, view(session))
                .addHeader(SetCookie.create(cookie(value, ctx.keys().console().secondsLeft(session)))));
    }

    private static SessionView view(ConsoleSessions.Session s) {
        return new SessionView(s.keyId(), s.role().wireName(), s.expires(), s.csrfToken());
    }

    /** {@code __Host-kairos_console} when the cookie is {@code Secure}, else {@code kairos_console}. */
    private String cookieName() {
        return secure ? ConsoleSessions.SECURE_COOKIE : ConsoleSessions.COOKIE;
    }

    private HttpCookie cookie(String value, long maxAgeSeconds) {
        return HttpCookie.create(cookieName(), value)
                .withPath("/")
                .withHttpOnly(true)
                .withSecure(secure)
                .withSameSite(SameSite.Strict)
                .withMaxAge(maxAgeSeconds);
    }
}
