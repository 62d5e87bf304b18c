package io.kairos.client;

import com.fasterxml.jackson.databind.module.SimpleModule;

/**
 * Stands in for the generated module of the same name, which registers deserializers built on Jackson 2.16+ while
 * Kairos runs Jackson 2.13 (Akka 2.8). They only let a date-time have a space instead of the {@code T}; the API writes
 * every time as ISO-8601 with the {@code T}, which the {@code JavaTimeModule} the client also registers reads.
 */
public class RFC3339JavaTimeModule extends SimpleModule {
    private static final long serialVersionUID = 1L;

    public RFC3339JavaTimeModule() {
        super("RFC3339JavaTimeModule");
    }
}
