package io.kairos.campaign;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Whether a campaign issues offers. A paused campaign keeps honouring the offers it already issued. */
public enum CampaignStatus {
    ACTIVE,
    PAUSED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<CampaignStatus> fromWire(String s) {
        return Arrays.stream(values()).filter(o -> o.wireName().equals(s)).findFirst();
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static CampaignStatus parse(String s) {
        return fromWire(s).orElseThrow(() -> new IllegalArgumentException("unknown status " + s));
    }
}
