package io.kairos.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kairos.http.shopper.EventsRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTest {
    private static Problem failure(String body) {
        var e = catchThrowableOfType(
                () -> Json.read(body.getBytes(StandardCharsets.UTF_8), EventsRequest.class), ApiException.class);
        assertThat(e).as("expected a 400 for %s", body).isNotNull();
        return e.problem();
    }

    @Test
    void hugeExponentsAreA400NotACrash() {
        assertThat(failure("{\"events\":[{\"eventId\":{\"events\":1e400}}]}").status())
                .isEqualTo(400);
    }

    @Test
    void numbersAndBooleansAreNotStrings() {
        assertThat(failure("{\"events\":[{\"eventId\":42}]}").errors().get(0).field())
                .isEqualTo("events[0].eventId");
        assertThat(failure("{\"events\":[{\"attributes\":{\"k\":true}}]}")
                        .errors()
                        .get(0)
                        .field())
                .isEqualTo("events[0].attributes.k");
    }

    @Test
    void duplicateKeysAndTrailingTokensAreMalformed() {
        assertThat(failure("{\"events\":[],\"events\":[]}").errors().get(0).field())
                .isEqualTo("$");
        assertThat(failure("{\"events\":[]} {}").errors().get(0).field()).isEqualTo("$");
    }

    @Test
    void aTruncatedBodyIsMalformed() {
        assertThat(failure("{\"events\":[{\"eventId\":").detail()).contains("malformed JSON");
    }

    @Test
    void unpairedSurrogatesAreA400NamingTheField() {
        var escaped = failure("{\"events\":[{\"attributes\":{\"k\":\"a\\ud800b\"}}]}");
        assertThat(escaped.errors().get(0).field()).isEqualTo("events[0].attributes.k");
        assertThat(escaped.detail()).contains("unpaired UTF-16 surrogate");
        assertThat(failure("{\"events\":[{\"eventId\":\"\\udfff\"}]}")
                        .errors()
                        .get(0)
                        .field())
                .isEqualTo("events[0].eventId");
        // the UTF-8 bytes of a lone surrogate (ED A0 80), which Jackson 2.13 decodes without complaint
        var bytes = new byte[] {'{', '"', 'k', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'};
        var e = catchThrowableOfType(
                () -> Json.read(bytes, com.fasterxml.jackson.databind.JsonNode.class), ApiException.class);
        assertThat(e).isNotNull();
        assertThat(e.problem().status()).isEqualTo(400);
        // a pair is a character like any other
        assertThat(Json.isUnicode("emoji \ud83d\ude00")).isTrue();
    }

    @Test
    void bodiesNestedDeeperThanTheLimitAreA400() {
        var deep = "{\"a\":".repeat(Json.MAX_DEPTH) + "1" + "}".repeat(Json.MAX_DEPTH);
        var e = catchThrowableOfType(
                () -> Json.read(deep.getBytes(StandardCharsets.UTF_8), com.fasterxml.jackson.databind.JsonNode.class),
                ApiException.class);
        assertThat(e.problem().detail()).contains("nested deeper than " + Json.MAX_DEPTH);
        var allowed = "{\"a\":".repeat(Json.MAX_DEPTH - 1) + "1" + "}".repeat(Json.MAX_DEPTH - 1);
        assertThat(Json.read(allowed.getBytes(StandardCharsets.UTF_8), com.fasterxml.jackson.databind.JsonNode.class))
                .isNotNull();
    }
}
