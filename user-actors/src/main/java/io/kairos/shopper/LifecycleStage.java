package io.kairos.shopper;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Where a shopper stands in the customer lifecycle: new → active → repeat → declining → dormant → churned. */
public enum LifecycleStage {
    NEW,
    ACTIVE,
    REPEAT,
    DECLINING,
    DORMANT,
    CHURNED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<LifecycleStage> fromWire(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(name)).findFirst();
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static LifecycleStage parse(String name) {
        return fromWire(name).orElseThrow(() -> new IllegalArgumentException("unknown lifecycle stage " + name));
    }
}
