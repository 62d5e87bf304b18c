package io.kairos.shopper;

import java.util.ArrayList;
import java.util.List;

/**
 * The events a command produces, applied one by one as they are added, so each rule sees the person as the events
 * before it left them: what recovery will see when it replays them. Not thread-safe; lives for one command.
 */
final class Changes {
    private final List<ShopperEvent> events = new ArrayList<>();
    private Person person;

    Changes(Person start) {
        this.person = start;
    }

    /** Records {@code event} and applies it; answers the person after it. */
    Person add(ShopperEvent event) {
        events.add(event);
        person = (Person) person.apply(event);
        return person;
    }

    Person person() {
        return person;
    }

    List<ShopperEvent> events() {
        return List.copyOf(events);
    }

    boolean isEmpty() {
        return events.isEmpty();
    }
}
