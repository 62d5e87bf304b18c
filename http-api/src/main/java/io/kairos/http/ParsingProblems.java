package io.kairos.http;

import akka.event.LoggingAdapter;
import akka.http.javadsl.model.HttpResponse;
import akka.http.scaladsl.model.ErrorInfo;
import akka.http.scaladsl.model.StatusCode;
import akka.http.scaladsl.settings.ServerSettings;

/**
 * Akka HTTP's answer to a request too malformed to reach the routes (an illegal request target, a control character in
 * a header, a URI or header over its limit, an unknown method, a broken request line), as problem+json like every other
 * error ({@code akka.http.server.parsing.error-handler}). An unknown method is the client's error, 405 rather than
 * Akka's 501; a request line Akka cannot split into method, target and version is a 400 rather than 505.
 */
public final class ParsingProblems extends akka.http.ParsingErrorHandler {
    private static final int MAX_DETAIL = 200;

    @Override
    public HttpResponse handle(StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
        int code =
                switch (status.intValue()) {
                    case 501 -> 405;
                    case 505 -> 400;
                    default -> status.intValue();
                };
        var summary = info.summary().isBlank() ? status.reason() : info.summary();
        if (summary.length() > MAX_DETAIL) summary = summary.substring(0, MAX_DETAIL) + "…";
        log.debug("Malformed request answered {}: {}", code, summary);
        var slug = code == 405 ? "method-not-allowed" : code == 400 ? "invalid" : "http-" + code;
        var title = code == status.intValue() ? status.reason() : code == 405 ? "Method Not Allowed" : "Bad Request";
        return ApiDirectives.problem(Problem.of(code, slug, title, summary));
    }
}
