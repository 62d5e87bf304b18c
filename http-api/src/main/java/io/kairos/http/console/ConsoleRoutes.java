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
 * HttpOnly, SameSite=Strict cookie, {@code Secure} over TLS), {@code GET} (who is logged in, and the CSRF token; 204
 * when nobody is) and {@code DELETE} (log out). The console's calls go to the {@code /v1} API with that cookie
 * ({@link ConsoleSessions}). Every answer forbids inline scripts and framing.
 */
public record ConsoleRoutes(RouteContext ctx, boolean secure) {
    /** Scripts, styles, images and connections from this origin only: no inline script, no framing. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static final List<HttpHeader> HEADERS = List.of(
            RawHeader.create("Content-Security-Policy", CSP),
            RawHeader.create("X-Content-Type-Options", "nosniff"),
            RawHeader.create("X-Frame-Options", "DENY"),
            RawHeader.create("Referrer-Policy", "no-referrer"),
            RawHeader.create("Cache-Control", "no-cache"));

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
                                pathSingleSlash(() -> get(() -> getFromResource("console/index.html"))),
                                path("session", this::session),
                                pathPrefix("assets", () -> get(() -> getFromResourceDirectory("console/assets"))),
                                pathPrefix(
                                        "vendor",
                                        () -> pathPrefix("uplot", () -> get(() -> getFromResourceDirectory(uplot)))))));
    }

    private Route session() {
        return concat(
                post(() -> ctx.jsonBody(Login.class, this::login)),
                get(() -> optionalCookie(ConsoleSessions.COOKIE, cookie -> {
                    // No session is an answer, not an error: the page asks on every load.
                    var session = cookie.flatMap(c -> ctx.keys().console().verify(c.value()));
                    if (session.isEmpty()) return complete(StatusCodes.NO_CONTENT);
                    var s = session.get();
                    return complete(json(
                            StatusCodes.OK,
                            new SessionView(s.keyId(), s.role().wireName(), s.expires(), s.csrfToken())));
                })),
                delete(() -> complete(HttpResponse.create()
                        .withStatus(StatusCodes.NO_CONTENT)
                        .addHeader(SetCookie.create(cookie("", 0))))));
    }

    private Route login(Login login) {
        if (login == null || login.key() == null || login.key().isBlank())
            throw ApiException.badRequest("key", "is required");
        if (login.key().length() > 512) throw ApiException.badRequest("key", "is longer than 512 characters");
        var key = ctx.keys().lookup(login.key().trim());
        if (key.isEmpty() || key.get().expired())
            return complete(problem(401, "unauthorized", "Unauthorized", "the API key is not valid or has expired"));
        if (!ConsoleSessions.ROLES.contains(key.get().role()))
            return complete(
                    problem(403, "forbidden", "Forbidden", "only operator and auditor keys log in to the console"));
        var value = ctx.keys().console().open(key.get());
        var session = ctx.keys().console().verify(value).orElseThrow();
        long seconds = ctx.keys().console().secondsLeft(session);
        return complete(json(
                        StatusCodes.OK,
                        new SessionView(
                                session.keyId(), session.role().wireName(), session.expires(), session.csrfToken()))
                .addHeader(SetCookie.create(cookie(value, seconds))));
    }

    private HttpCookie cookie(String value, long maxAgeSeconds) {
        return HttpCookie.create(ConsoleSessions.COOKIE, value)
                .withPath("/")
                .withHttpOnly(true)
                .withSecure(secure)
                .withSameSite(SameSite.Strict)
                .withMaxAge(maxAgeSeconds);
    }

    private HttpResponse problem(int status, String type, String title, String detail) {
        return ApiDirectives.problem(Problem.of(status, type, title, detail), ctx.settings());
    }
}
