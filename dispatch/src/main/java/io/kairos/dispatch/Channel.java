package io.kairos.dispatch;

import akka.Done;
import java.util.concurrent.CompletionStage;

/**
 * A way of reaching shoppers (webhook, e-mail). {@link #send} makes one attempt and completes when the receiver
 * accepted the message; it fails with {@link Rejected} when retrying cannot help (the receiver refused this message),
 * with anything else when it may (timeouts, connection errors, 5xx). Retries, rate limits and the circuit breaker are
 * {@link ResilientChannel}'s, around this.
 */
public interface Channel {
    String name();

    CompletionStage<Done> send(Message message);

    /** The receiver refused this message for good (bad address, 4xx): no retry, and no strike against the channel. */
    final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Rejected(String message) {
            super(message);
        }
    }
}
