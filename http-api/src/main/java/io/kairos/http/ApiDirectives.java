package io.kairos.http;

import static akka.http.javadsl.server.Directives.*;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpCharsets;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.javadsl.server.Route;
import akka.http.scaladsl.model.EntityStreamSizeException;
import akka.http.scaladsl.model.IllegalRequestException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.duration.FiniteDuration;

/**
 * The API's shared directives and the one place where failures become HTTP responses: validation → 400, unknown → 404,
 * rejected by an entity → 409/422, oversize → 413, overload, timeouts and storage outages → 503 with
 * {@code Retry-After}; everything unexpected → 500 with a reference id and no stack trace. Every error body is
 * {@code application/problem+json}.
 */
public final class ApiDirectives {
    private static final Logger log = LoggerFactory.getLogger(ApiDirectives.class);
    /** Who viewed which shopper's personal data through the console, and when (the log line's time). */
    private static final Logger CONSOLE_ACCESS = LoggerFactory.getLogger("kairos.console.access");

    public static final ContentType PROBLEM_JSON = MediaTypes.applicationWithFixedCharset(
                    "problem+json", HttpCharsets.UTF_8)
            .toContentType();

    private ApiDirectives() {}

    public static HttpResponse json(StatusCode status, Object body) {
        return HttpResponse.create().withStatus(status).withEntity(HttpEntities.json(Json.write(body)));
    }

    public static HttpResponse problem(Problem p, HttpSettings settings) {
        var response = problem(p);
        if (p.status() == 503 || p.status() == 429) {
            // A refusal by admission control spreads its clients' retries (base to twice base); others wait the base.
            long seconds = p.type().endsWith("/overloaded")
                    ? Admission.retryAfterSeconds(settings.retryAfter())
                    : Math.max(1, settings.retryAfter().toSeconds());
            response = response.addHeader(RawHeader.create("Retry-After", Long.toString(seconds)));
        }
        if (p.status() == 401)
            response = response.addHeader(RawHeader.create("WWW-Authenticate", "Bearer realm=\"kairos\""));
        return response;
    }

    /** The problem's status and problem+json body, without headers. */
    static HttpResponse problem(Problem p) {
        return HttpResponse.create().withStatus(p.status()).withEntity(HttpEntities.problem(Json.write(p)));
    }

    /**
     * Lets the request through when it carries a key of one of {@code allowed} (admin always passes) and neither its
     * key nor the shopper its path names is over its rate limit ({@link RateLimits}: else 429).
     */
    public static Route authorized(
            ApiKeys keys, HttpSettings settings, RateLimits limits, Set<Role> allowed, Supplier<Route> inner) {
        return authorizedAs(keys, settings, limits, allowed, key -> inner.get());
    }

    /**
     * As {@link #authorized}; {@code inner} is given the key the request carries (who acts). A request without an
     * {@code Authorization} header may carry the operator console's session cookie instead ({@link ConsoleSessions}):
     * it acts as the key the session was opened with, a state-changing method needs the session's CSRF token, and a
     * read of a shopper is logged as a view of personal data (who, when, which shopper).
     */
    public static Route authorizedAs(
            ApiKeys keys,
            HttpSettings settings,
            RateLimits limits,
            Set<Role> allowed,
            java.util.function.Function<ApiKeys.Key, Route> inner) {
        return optionalHeaderValueByName("Authorization", header -> {
            if (header.isEmpty()) {
                return optionalCookie(
                        ConsoleSessions.SECURE_COOKIE,
                        secure -> optionalCookie(ConsoleSessions.COOKIE, plain -> {
                            var cookie = secure.or(() -> plain);
                            return cookie.isPresent()
                                    ? bySession(
                                            keys,
                                            settings,
                                            limits,
                                            allowed,
                                            cookie.get().value(),
                                            inner)
                                    : complete(unauthorized("send Authorization: Bearer <api key>", settings));
                        }));
            }
            var key = header.filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                    .flatMap(h -> keys.lookup(h.substring(7).trim()));
            if (key.isEmpty()) return complete(unauthorized("the API key is not valid", settings));
            if (key.get().expired()) {
                log.info(
                        "Refused API key {}: it expired at {}",
                        key.get().id(),
                        key.get().expires());
                return complete(unauthorized(
                        "the API key " + key.get().id() + " expired at "
                                + key.get().expires(),
                        settings));
            }
            return permitted(key.get(), settings, limits, allowed, inner, false);
        });
    }

    private static Route bySession(
            ApiKeys keys,
            HttpSettings settings,
            RateLimits limits,
            Set<Role> allowed,
            String cookie,
            java.util.function.Function<ApiKeys.Key, Route> inner) {
        var session = keys.console().verify(cookie);
        if (session.isEmpty())
            return complete(unauthorized("the console session is not valid or has expired: log in again", settings));
        var key = new ApiKeys.Key(
                session.get().keyId(),
                session.get().role(),
                false,
                session.get().expires());
        return extractMethod(method -> {
            if (SAFE_METHODS.contains(method.value())) return permitted(key, settings, limits, allowed, inner, true);
            return optionalHeaderValueByName(
                    ConsoleSessions.CSRF_HEADER,
                    token -> ConsoleSessions.csrfMatches(session.get(), token)
                            ? permitted(key, settings, limits, allowed, inner, false)
                            : complete(problem(
                                    Problem.of(
                                            403,
                                            "csrf",
                                            "Forbidden",
                                            "a change made with the console's session needs its CSRF token in "
                                                    + ConsoleSessions.CSRF_HEADER),
                                    settings)));
        });
    }

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    /** 401 with {@code detail} and {@code WWW-Authenticate}. */
    public static HttpResponse unauthorized(String detail, HttpSettings settings) {
        return problem(Problem.of(401, "unauthorized", "Unauthorized", detail), settings);
    }

    /**
     * {@code inner} for {@code key} when its role is allowed and neither it nor the path's shopper is over its rate
     * limit; {@code consoleRead}: a read through the console, logged when it names a shopper.
     */
    private static Route permitted(
            ApiKeys.Key key,
            HttpSettings settings,
            RateLimits limits,
            Set<Role> allowed,
            java.util.function.Function<ApiKeys.Key, Route> inner,
            boolean consoleRead) {
        var role = key.role();
        if (role != Role.ADMIN && !allowed.contains(role)) {
            return complete(problem(
                    Problem.of(
                            403,
                            "forbidden",
                            "Forbidden",
                            "role " + role.wireName() + " may not do this; allowed: " + names(allowed)),
                    settings));
        }
        var refused = limits.key(key.id());
        if (refused.isPresent()) return complete(rateLimited(refused.get(), "the API key " + key.id()));
        return extractUri(uri -> {
            var shopper = shopperOf(uri.path());
            var overShopper = shopper.flatMap(limits::shopper);
            if (overShopper.isPresent()) return complete(rateLimited(overShopper.get(), "shopper " + shopper.get()));
            if (consoleRead) logPersonalRead(key, uri.path());
            return inner.apply(key);
        });
    }

    /**
     * Logs a console session's read of personal data (a shopper, a shopper's audit trail, a decision record): the key's
     * id and role, the path, and for a shopper a reference that survives the logs' masking of identities (the first 16
     * hex digits of its id's SHA-256, which whoever holds the id can recompute). A path with control characters is not
     * logged as given (it would forge lines); the route refuses it anyway.
     */
    private static void logPersonalRead(ApiKeys.Key key, String path) {
        var shopper = shopperOf(path).or(() -> auditedShopperOf(path));
        if (shopper.isEmpty() && !path.startsWith("/v1/audit/decisions/")) return;
        var shown = path.chars().anyMatch(Character::isISOControl) ? "(a path with control characters)" : path;
        CONSOLE_ACCESS.info(
                "console key {} ({}) read personal data: {} shopperRef={}",
                key.id(),
                key.role().wireName(),
                shown,
                shopper.map(id -> ApiKeys.hash(id).substring(0, 16)).orElse("-"));
    }

    /** The shopper of an audit path ({@code /v1/audit/shoppers/{id}…}, decoded), if any. */
    static java.util.Optional<String> auditedShopperOf(String path) {
        var audit = "/v1/audit";
        return path.startsWith(audit + "/shoppers/")
                ? shopperOf("/v1" + path.substring(audit.length()))
                : java.util.Optional.empty();
    }

    /** The shopper a path names ({@code /v1/shoppers/{id}…}, decoded), if any. */
    static java.util.Optional<String> shopperOf(String path) {
        var prefix = "/v1/shoppers/";
        if (!path.startsWith(prefix) || path.length() == prefix.length()) return java.util.Optional.empty();
        int end = path.indexOf('/', prefix.length());
        var segment = path.substring(prefix.length(), end < 0 ? path.length() : end);
        return java.util.Optional.of(
                java.net.URLDecoder.decode(segment.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * 429 for a request over a rate limit: {@code Retry-After} (whole seconds until a token is back, at least 1) and
     * the {@code RateLimit-*} fields of the IETF draft (limit per second, none remaining, seconds to reset, the
     * policy).
     */
    public static HttpResponse rateLimited(RateLimits.Refusal r, String whose) {
        long seconds = Math.max(1, (r.retryAfter().toMillis() + 999) / 1000);
        var p = Problem.of(
                429,
                "rate-limited",
                "Too many requests",
                whose + " is over its limit of " + r.limit() + " requests per second on this node; retry after "
                        + seconds + " s");
        return problem(p)
                .addHeader(RawHeader.create("Retry-After", Long.toString(seconds)))
                .addHeader(RawHeader.create("RateLimit-Limit", Long.toString(r.limit())))
                .addHeader(RawHeader.create("RateLimit-Remaining", "0"))
                .addHeader(RawHeader.create("RateLimit-Reset", Long.toString(seconds)))
                .addHeader(RawHeader.create("RateLimit-Policy", r.limit() + ";w=1;scope=" + r.scope()));
    }

    public static Set<Role> roles(Role... roles) {
        return roles.length == 0 ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(Arrays.asList(roles));
    }

    private static String names(Set<Role> roles) {
        return String.join(", ", roles.stream().map(Role::wireName).toList())
                + (roles.contains(Role.ADMIN) ? "" : ", admin");
    }

    /** Reads a JSON body of at most {@code maxBodyBytes} into {@code type}; anything else is a 400/413/415 problem. */
    public static <T> Route jsonBody(HttpSettings settings, Class<T> type, Function<T, Route> inner) {
        return jsonBody(settings, bytes -> Json.read(bytes, type), inner);
    }

    private static <T> Route jsonBody(HttpSettings settings, Function<byte[], T> reader, Function<T, Route> inner) {
        var timeout = FiniteDuration.fromNanos(settings.strictEntityTimeout().toNanos());
        return extractRequestEntity(entity -> {
            var mediaType = entity.getContentType().mediaType();
            boolean isJson = mediaType.isApplication()
                    && (mediaType.subType().equals("json")
                            || mediaType.subType().endsWith("+json"));
            if (!isJson) {
                return complete(problem(
                        Problem.of(
                                415,
                                "unsupported-media-type",
                                "Unsupported media type",
                                "send the body as Content-Type: application/json"),
                        settings));
            }
            // withSizeLimit fails an oversize body with EntityStreamSizeException, which maps to 413 below.
            return withSizeLimit(
                    settings.maxBodyBytes(),
                    () -> extractStrictEntity(
                            timeout,
                            strict -> inner.apply(reader.apply(strict.getData().toArray()))));
        });
    }

    /** As {@link #jsonBody}, but a request without a body, or with the body {@code null}, gives {@code inner} null. */
    public static <T> Route optionalJsonBody(HttpSettings settings, Class<T> type, Function<T, Route> inner) {
        return extractRequestEntity(entity -> entity.isKnownEmpty()
                ? inner.apply(null)
                : jsonBody(settings, bytes -> Json.readOptional(bytes, type), inner));
    }

    public static ExceptionHandler exceptionHandler(HttpSettings settings) {
        return ExceptionHandler.newBuilder()
                .matchAny(e -> complete(problem(toProblem(e, settings), settings)))
                .build();
    }

    /** What failed: {@code e}, or what it wraps when a future completed exceptionally with it. */
    public static Throwable cause(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    static Problem toProblem(Throwable e, HttpSettings settings) {
        var cause = cause(e);
        if (cause != e) return toProblem(cause, settings);
        if (e instanceof ApiException api) return api.problem();
        if (e instanceof EntityStreamSizeException) {
            return Problem.of(
                    413, "too-large", "Request too large", "the body exceeds " + settings.maxBodyBytes() + " bytes");
        }
        if (e instanceof IllegalRequestException bad) {
            // Akka HTTP's own request errors carry their status (e.g. 413 when the body outgrows the limit while read).
            int status = bad.status().intValue();
            var detail = status == 413
                    ? "the body exceeds " + settings.maxBodyBytes() + " bytes"
                    : bad.info().summary();
            return Problem.of(
                    status,
                    status == 413 ? "too-large" : "bad-request",
                    bad.status().reason(),
                    detail);
        }
        if (e instanceof TimeoutException) {
            return Problem.of(
                    503,
                    "unavailable",
                    "Service unavailable",
                    "the request timed out waiting for storage or a shard; retry later");
        }
        var ref = UUID.randomUUID().toString();
        log.error("Unhandled failure, reference {}", ref, e);
        return Problem.of(500, "internal", "Internal error", "an unexpected error occurred; reference " + ref);
    }

    /** Akka HTTP's default rejection responses, rewritten as problem+json. */
    public static RejectionHandler rejectionHandler() {
        return RejectionHandler.defaultHandler().mapRejectionResponse(response -> {
            if (response.entity().getContentType().equals(PROBLEM_JSON)) return response;
            var text = response.entity() instanceof HttpEntity.Strict strict
                    ? strict.getData().utf8String()
                    : "";
            int status = response.status().intValue();
            var p = Problem.of(
                    status,
                    slug(response.status()),
                    response.status().reason(),
                    text.isBlank() ? response.status().reason() : text);
            return response.withEntity(HttpEntities.problem(Json.write(p)));
        });
    }

    private static String slug(StatusCode status) {
        if (status.equals(StatusCodes.NOT_FOUND)) return "not-found";
        if (status.equals(StatusCodes.METHOD_NOT_ALLOWED)) return "method-not-allowed";
        return "http-" + status.intValue();
    }

    /** Entity constructors for the two content types the API answers with. */
    static final class HttpEntities {
        private HttpEntities() {}

        static akka.http.javadsl.model.ResponseEntity json(byte[] bytes) {
            return HttpEntities.strict(ContentTypes.APPLICATION_JSON, bytes);
        }

        static akka.http.javadsl.model.ResponseEntity problem(byte[] bytes) {
            return HttpEntities.strict(PROBLEM_JSON, bytes);
        }

        private static akka.http.javadsl.model.ResponseEntity strict(ContentType type, byte[] bytes) {
            return akka.http.javadsl.model.HttpEntities.create(type, bytes);
        }
    }
}
