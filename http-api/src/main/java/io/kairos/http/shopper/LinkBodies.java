package io.kairos.http.shopper;

import java.util.List;

/** Bodies of {@code POST /v1/shoppers/{id}/links}. */
public final class LinkBodies {
    private LinkBodies() {}

    public record LinkRequest(String identity) {}

    /** {@code shopperId} is the person the identity now belongs to (the one asked, or the person it is linked to). */
    public record LinkResponse(String shopperId, String identity, List<String> links) {}
}
