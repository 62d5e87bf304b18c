package io.kairos.http;

import static org.assertj.core.api.Assertions.assertThat;

import akka.event.NoLogging;
import akka.http.scaladsl.model.ErrorInfo;
import akka.http.scaladsl.model.StatusCodes;
import org.junit.jupiter.api.Test;

/**
 * Requests Akka HTTP cannot parse get problem+json with their status; an unknown method is a 405 and an unsplittable
 * request line a 400, never a 5xx. (Over real HTTP: ApiFuzzIT.)
 */
class ParsingProblemsTest {
    private final ParsingProblems handler = new ParsingProblems();

    private akka.http.javadsl.model.HttpResponse handle(akka.http.scaladsl.model.StatusCode status, String summary) {
        return handler.handle(status, new ErrorInfo(summary, "detail", ""), NoLogging.getInstance(), null);
    }

    @Test
    void parserErrorsAreProblemsWithTheirStatus() {
        var uriTooLong = handle(StatusCodes.UriTooLong(), "URI length exceeds the configured limit");
        assertThat(uriTooLong.status().intValue()).isEqualTo(414);
        assertThat(uriTooLong.entity().getContentType()).isEqualTo(ApiDirectives.PROBLEM_JSON);
    }

    @Test
    void anUnknownMethodIs405AndABrokenRequestLine400() {
        assertThat(handle(StatusCodes.NotImplemented(), "Unsupported HTTP method")
                        .status()
                        .intValue())
                .isEqualTo(405);
        assertThat(handle(StatusCodes.HTTPVersionNotSupported(), "").status().intValue())
                .isEqualTo(400);
    }
}
