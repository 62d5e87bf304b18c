package io.kairos.wire;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * An enum whose name in requests, configuration and on the command line is its lower-case constant name, while its JSON
 * (in the journal) stays the constant's name. {@link WireName} is the kind whose JSON is the lower-case name too.
 */
public interface LowerCaseName {

    /** The constant's name; every enum has it. */
    String name();

    /** The lower-case name. */
    default String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant of {@code type} whose lower-case name is {@code wire}, if any. */
    static <E extends Enum<E> & LowerCaseName> Optional<E> find(Class<E> type, String wire) {
        return Arrays.stream(type.getEnumConstants())
                .filter(e -> e.wireName().equals(wire))
                .findFirst();
    }
}
