package io.kairos.http.shopper;

import io.kairos.http.Validator;
import io.kairos.shopper.Profile;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A shopper's profile on the wire: the body of {@code PUT /v1/shoppers/{id}/profile} and part of the shopper view.
 * {@code personalization: false} is the shopper's refusal of personalised offers (absent: yes).
 */
public record ProfileBody(
        String gender,
        String ageBand,
        String region,
        Boolean member,
        String registeredAt,
        String timeZone,
        Map<String, String> attributes,
        Map<String, Boolean> consent,
        List<String> tags,
        Boolean personalization) {

    private static final Pattern CHANNEL = Pattern.compile("[a-z0-9_-]{1,32}");

    static ProfileBody of(Profile p) {
        return new ProfileBody(
                p.gender(),
                p.ageBand(),
                p.region(),
                p.member(),
                p.registeredAt() == null ? null : p.registeredAt().toString(),
                p.timeZone(),
                p.attributes(),
                p.consent(),
                p.tags(),
                p.personalization());
    }

    Profile toProfile() {
        var v = new Validator();
        v.text("gender", gender, 32, false);
        v.text("ageBand", ageBand, 32, false);
        v.text("region", region, 128, false);
        Instant registered = v.instant("registeredAt", registeredAt, false);
        if (timeZone != null) {
            try {
                ZoneId.of(timeZone);
            } catch (DateTimeException e) {
                v.error("timeZone", "must be an IANA time zone such as Europe/Berlin");
            }
        }
        v.stringMap("attributes", attributes, 64, 64, 1024);
        if (consent != null) {
            if (consent.size() > 16) v.error("consent", "at most 16 channels");
            consent.forEach((channel, given) -> {
                if (!CHANNEL.matcher(channel).matches())
                    v.error("consent." + channel, "channel names are 1–32 of a-z 0-9 _ -");
                else if (given == null) v.error("consent." + channel, "must be true or false");
            });
        }
        if (tags != null) {
            if (tags.size() > 64) v.error("tags", "at most 64 tags");
            for (int i = 0; i < tags.size(); i++) v.id("tags[" + i + "]", tags.get(i), true);
        }
        v.throwIfInvalid();
        return new Profile(
                gender, ageBand, region, member, registered, timeZone, attributes, consent, tags, personalization);
    }
}
