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
}
