package io.kairos.node;

import static akka.http.javadsl.server.Directives.*;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.server.Route;
import akka.management.javadsl.ManagementRouteProvider;
import akka.management.javadsl.ManagementRouteProviderSettings;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /metrics} on the management port, in the Prometheus text format (0.0.4): everything
 * {@link NodeMetrics#scrape()} returns. Mounted by Akka Management through {@code akka.management.http.routes}, so it
 * shares the port, the bind address and the lifecycle of {@code /ready} and {@code /alive}.
 */
public final class MetricsRoutes implements ManagementRouteProvider {
    private static final PrometheusTextFormatWriter WRITER = new PrometheusTextFormatWriter(false);
    private static final ContentType CONTENT_TYPE = ContentTypes.parse(WRITER.getContentType());

    private final NodeMetrics metrics;

    public MetricsRoutes(ExtendedActorSystem system) {
        this.metrics = NodeMetrics.get(Adapter.toTyped(system));
    }

    @Override
    public Route routes(ManagementRouteProviderSettings settings) {
        // Rendered off the management server's routing thread: the JVM collectors walk MXBeans.
        return path(
                "metrics",
                () -> get(() -> extractExecutionContext(ec -> onSuccess(
                        CompletableFuture.supplyAsync(this::render, ec),
                        bytes -> complete(HttpEntities.create(CONTENT_TYPE, bytes))))));
    }

    private byte[] render() {
        var out = new ByteArrayOutputStream(64 * 1024);
        try {
            WRITER.write(out, metrics.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
