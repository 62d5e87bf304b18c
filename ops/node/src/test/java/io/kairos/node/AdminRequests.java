package io.kairos.node;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

/** Requests the node tests send to a node on this host with an admin API key, each with a timeout of its own. */
final class AdminRequests {

    private AdminRequests() {}

    /** A request to {@code path} on the node's HTTP {@code port}, carrying {@code adminKey} as its bearer token. */
    static HttpRequest.Builder to(int port, String path, String adminKey, Duration timeout) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + adminKey)
                .timeout(timeout);
    }
}
