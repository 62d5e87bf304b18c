package io.kairos.dispatch;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.headers.RawHeader;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The generic way to reach SMS, push or messaging providers: an HTTP POST of the message as JSON to a configured URL,
 * signed so the receiver can tell it came from Kairos and was not replayed later.
 *
 * <p>Headers: {@code Idempotency-Key: <offerId>} (the same on every attempt for an offer) and {@code Kairos-Signature:
 * t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the shared secret>}. 2xx = accepted; 408, 429 and 5xx = try
 * again; any other status = {@link Channel.Rejected}.
 */
public final class WebhookChannel implements Channel {
    public static final String SIGNATURE_HEADER = "Kairos-Signature";
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final String name;
    private final String url;
    private final byte[] secret;
    private final ActorSystem<?> system;
    private final Clock clock;

    public WebhookChannel(String name, String url, String secret, ActorSystem<?> system, Clock clock) {
        if (url == null || url.isBlank())
            throw new IllegalArgumentException("webhook channel " + name + " needs a url");
        if (secret == null || secret.isBlank())
            throw new IllegalArgumentException("webhook channel " + name + " needs a secret");
        this.name = name;
        this.url = url;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.system = system;
        this.clock = clock;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletionStage<Done> send(Message message) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(message);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return CompletableFuture.failedFuture(new Rejected("cannot serialise the message: " + e.getMessage()));
        }
        long t = clock.instant().getEpochSecond();
        var request = HttpRequest.POST(url)
                .withEntity(ContentTypes.APPLICATION_JSON, body)
                .addHeader(RawHeader.create(IDEMPOTENCY_HEADER, message.offerId()))
                .addHeader(RawHeader.create(SIGNATURE_HEADER, "t=" + t + ",v1=" + sign(secret, t, body)));
        return Http.get(system).singleRequest(request).thenApply(response -> {
            response.discardEntityBytes(system);
            int status = response.status().intValue();
            if (status >= 200 && status < 300) return Done.getInstance();
            if (status == 408 || status == 429 || status >= 500)
                throw new IllegalStateException(name + " answered " + status);
            throw new Rejected(name + " answered " + status);
        });
    }

    /** The hex HMAC-SHA256 of {@code "<t>.<body>"}: what a receiver recomputes to verify a request. */
    public static String sign(byte[] secret, long t, byte[] body) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java 17 runtime", e);
        }
    }
}
