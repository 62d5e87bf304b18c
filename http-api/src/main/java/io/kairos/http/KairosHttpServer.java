package io.kairos.http;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.Route;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the API, over TLS when {@link Tls} is configured (every answer then carries {@code Strict-Transport-Security});
 * CoordinatedShutdown unbinds it first and waits for in-flight requests up to the deadline.
 */
public final class KairosHttpServer {
    private static final Logger log = LoggerFactory.getLogger(KairosHttpServer.class);

    private KairosHttpServer() {}

    public static CompletionStage<ServerBinding> start(
            ActorSystem<?> system, Route routes, HttpSettings settings, Optional<Tls> tls) {
        var server = Http.get(system).newServerAt(settings.host(), settings.port());
        var served = routes;
        if (tls.isPresent()) {
            server = server.enableHttps(tls.get().serverContext());
            served = Directives.respondWithDefaultHeader(
                    RawHeader.create("Strict-Transport-Security", tls.get().hsts()), () -> routes);
        } else if (!settings.devMode()) {
            log.warn("The API serves plain HTTP: terminate TLS in front of the node, or set KAIROS_TLS_KEYSTORE or"
                    + " KAIROS_TLS_CERT and KAIROS_TLS_KEY");
        }
        var scheme = tls.isPresent() ? "https" : "http";
        return server.bind(served).thenApply(binding -> {
            log.info(
                    "Kairos API listening on {}://{}:{}{}",
                    scheme,
                    binding.localAddress().getHostString(),
                    binding.localAddress().getPort(),
                    tls.map(t -> " (TLS key from " + t.source() + ")").orElse(""));
            return binding.addToCoordinatedShutdown(settings.shutdownDeadline(), system);
        });
    }
}
