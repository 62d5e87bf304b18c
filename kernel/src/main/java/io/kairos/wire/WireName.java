package io.kairos.wire;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An enum whose wire name (in JSON, in the journal, on the command line) is its lower-case constant name. Jackson
 * writes and reads the wire name through {@link #wireName()}; code that takes the name from a request looks it up with
 * {@link LowerCaseName#find}, which answers empty rather than throwing so the caller can reject the input in its own
 * words.
 */
public interface WireName extends LowerCaseName {

    @JsonValue
    @Override
    default String wireName() {
        return LowerCaseName.super.wireName();
    }
}
