package io.kairos.http;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.server.Route;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binds the API; CoordinatedShutdown unbinds it first and waits for in-flight requests up to the deadline. */
public final class KairosHttpServer {
    private static final Logger log = LoggerFactory.getLogger(KairosHttpServer.class);

    private KairosHttpServer() {}

    public static CompletionStage<ServerBinding> start(ActorSystem<?> system, Route routes, HttpSettings settings) {
        return Http.get(system)
                .newServerAt(settings.host(), settings.port())
                .bind(routes)
                .thenApply(binding -> {
                    log.info(
                            "Kairos API listening on http://{}:{}",
                            binding.localAddress().getHostString(),
                            binding.localAddress().getPort());
                    return binding.addToCoordinatedShutdown(settings.shutdownDeadline(), system);
                });
    }
}
