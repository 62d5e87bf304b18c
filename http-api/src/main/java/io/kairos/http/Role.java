package io.kairos.http;

import io.kairos.wire.WireName;

/** What an API key may do. {@code admin} may do everything; see API.md for the others. */
public enum Role implements WireName {
    INGEST,
    OPERATOR,
    AUDITOR,
    ADMIN;
}
