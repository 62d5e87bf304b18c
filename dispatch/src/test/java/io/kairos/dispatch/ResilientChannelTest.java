package io.kairos.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.typesafe.config.ConfigFactory;
import io.kairos.dispatch.DispatchSettings.ChannelSettings;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Webhook channels against real local HTTP receivers: the request carries the idempotency key and a verifiable
 * signature; a refused message is not retried; a failing channel retries with backoff, opens its circuit (then fails
 * fast without calling the receiver), and recovers once the receiver does, while another channel keeps delivering.
 */
class ResilientChannelTest {
    private static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.load());
    private static final String SECRET = "s3cret";
    // Generous: a first request on a loaded machine (connection pool start, class loading) may take seconds, and a
    // call that times out is retried, which the request-count assertions below would see.
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    private static ChannelSettings settings(String name, int maxAttempts, int breakerFailures, Duration reset) {
        return new ChannelSettings(
                name,
                "webhook",
                true,
                name,
                "",
                new BigDecimal("0.01"),
                0.02,
                200,
                8,
                maxAttempts,
                Duration.ofMillis(10),
                Duration.ofMillis(50),
                CALL_TIMEOUT,
                breakerFailures,
                reset,
                ConfigFactory.empty());
    }

    private static ResilientChannel channel(
            String name, WebhookReceiver receiver, int maxAttempts, int breakerFailures, Duration reset) {
        return new ResilientChannel(
                new WebhookChannel(name, receiver.url(), SECRET, testKit.system(), Clock.systemUTC()),
                settings(name, maxAttempts, breakerFailures, reset),
                testKit.system());
    }

    private static Message message(String offerId, String channel) {
        return new Message(
                offerId,
                "shopper-1",
                "c1",
                "CPN-" + offerId,
                channel,
                null,
                "",
                "5.00 EUR off.",
                "5.00 EUR off.",
                Instant.parse("2026-12-01T00:00:00Z"),
                "");
    }

    private static Throwable failure(CompletableFuture<?> f) {
        try {
            f.get(60, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return ResilientChannel.unwrap(e);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aRequestCarriesTheIdempotencyKeyAndAVerifiableSignature() throws Exception {
        try (var receiver = new WebhookReceiver()) {
            var ch = channel("push", receiver, 3, 5, Duration.ofSeconds(1));
            ch.send(message("offer-1", "push")).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(receiver.received).hasSize(1);
            var r = receiver.received.get(0);
            assertThat(r.header("Idempotency-Key")).isEqualTo("offer-1");
            var sig = r.header("Kairos-Signature");
            assertThat(sig).matches("t=\\d+,v1=[0-9a-f]{64}");
            long t = Long.parseLong(sig.substring(2, sig.indexOf(',')));
            assertThat(sig).endsWith("v1=" + WebhookChannel.sign(SECRET.getBytes(StandardCharsets.UTF_8), t, r.body()));
            assertThat(sig)
                    .doesNotEndWith("v1=" + WebhookChannel.sign("other".getBytes(StandardCharsets.UTF_8), t, r.body()));
            var body = new String(r.body(), StandardCharsets.UTF_8);
            assertThat(body)
                    .contains(
                            "\"offerId\":\"offer-1\"",
                            "\"couponId\":\"CPN-offer-1\"",
                            "\"expiresAt\":\"2026-12-01T00:00:00Z\"");
        }
    }

    @Test
    void aRefusedMessageIsNotRetriedAndDoesNotOpenTheCircuit() throws Exception {
        try (var receiver = new WebhookReceiver()) {
            receiver.status.set(400);
            var ch = channel("sms", receiver, 3, 2, Duration.ofSeconds(30));
            for (int i = 0; i < 3; i++) {
                assertThat(failure(ch.send(message("bad-" + i, "sms")).toCompletableFuture()))
                        .isInstanceOf(Channel.Rejected.class);
            }
            assertThat(receiver.received).hasSize(3);
            assertThat(ch.isOpen()).isFalse();
        }
    }

    @Test
    void aFailingChannelBacksOffOpensAndRecoversWhileAnotherKeepsDelivering() throws Exception {
        try (var failing = new WebhookReceiver();
                var healthy = new WebhookReceiver()) {
            failing.status.set(503);
            var sms = channel("sms", failing, 2, 3, Duration.ofMillis(500));
            var push = channel("push", healthy, 2, 3, Duration.ofMillis(500));

            // two messages, two attempts each: the third failed call opens the circuit
            assertThat(failure(sms.send(message("m-1", "sms")).toCompletableFuture()))
                    .isInstanceOf(IllegalStateException.class);
            var second = failure(sms.send(message("m-2", "sms")).toCompletableFuture());
            assertThat(second).isInstanceOfAny(IllegalStateException.class, ResilientChannel.Unavailable.class);
            assertThat(failing.byKey.get("m-1").get()).isEqualTo(2); // retried, with the same key
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(sms::isOpen);
            int callsWhenOpened = failing.received.size();

            // while sms is down: it fails fast without calling its receiver, and push delivers everything
            var pushes = new ArrayList<CompletableFuture<akka.Done>>();
            for (int i = 0; i < 50; i++)
                pushes.add(push.send(message("p-" + i, "push")).toCompletableFuture());
            assertThat(failure(sms.send(message("m-3", "sms")).toCompletableFuture()))
                    .isInstanceOf(ResilientChannel.Unavailable.class);
            CompletableFuture.allOf(pushes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            assertThat(healthy.byKey).hasSize(50);
            assertThat(failing.received).hasSize(callsWhenOpened);

            // the receiver recovers: after the reset timeout a trial call goes through and closes the circuit
            failing.status.set(200);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> failure(sms.send(message("m-4", "sms")).toCompletableFuture()) == null);
            assertThat(sms.isOpen()).isFalse();
            // the trial's answer may arrive just before the breaker switches from half-open to closed
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(sms::isClosed);
            sms.send(message("m-5", "sms")).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(failing.byKey).containsKeys("m-4", "m-5");
        }
    }

    @Test
    void theRateIsTheClusterTotalSoEachSendingNodeSendsItsShare() throws Exception {
        var sentAt = new java.util.concurrent.ConcurrentLinkedQueue<Long>();
        Channel recording = new Channel() {
            @Override
            public String name() {
                return "recording";
            }

            @Override
            public java.util.concurrent.CompletionStage<akka.Done> send(Message message) {
                sentAt.add(System.nanoTime());
                return CompletableFuture.completedFuture(akka.Done.getInstance());
            }
        };
        var fortyPerSecond = new ChannelSettings(
                "recording",
                "webhook",
                true,
                "recording",
                "",
                new BigDecimal("0.01"),
                0.02,
                40,
                8,
                1,
                Duration.ofMillis(10),
                Duration.ofMillis(50),
                CALL_TIMEOUT,
                5,
                Duration.ofSeconds(1),
                ConfigFactory.empty());
        var channel = new ResilientChannel(recording, fortyPerSecond, testKit.system(), () -> 4);

        long start = System.nanoTime();
        var sends = new ArrayList<CompletableFuture<?>>();
        for (int i = 0; i < 30; i++)
            sends.add(channel.send(message("share-" + i, "recording")).toCompletableFuture());
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        // 40/s for a cluster of 4 is 10/s for this node, after a burst of one second's worth (10): the last 20 of the
        // 30
        // messages cannot go out in less than 2 s. Alone (the rate per node, as before) all 30 would fit the burst.
        assertThat(sentAt).hasSize(30);
        assertThat(Duration.ofNanos(
                        sentAt.stream().mapToLong(Long::longValue).max().orElseThrow() - start))
                .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void backoffGrowsExponentiallyUpToTheCapWithBoundedJitter() {
        var s = new ChannelSettings(
                "x",
                "webhook",
                true,
                "x",
                "",
                BigDecimal.ZERO,
                0,
                10,
                4,
                8,
                Duration.ofMillis(100),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                5,
                Duration.ofSeconds(1),
                ConfigFactory.empty());
        try (var receiver = new WebhookReceiver()) {
            var ch = new ResilientChannel(
                    new WebhookChannel("x", receiver.url(), SECRET, testKit.system(), Clock.systemUTC()),
                    s,
                    testKit.system());
            for (int i = 0; i < 20; i++) {
                assertThat(ch.backoff(1).toMillis()).isBetween(80L, 120L);
                assertThat(ch.backoff(3).toMillis()).isBetween(320L, 480L);
                assertThat(ch.backoff(10).toMillis()).isBetween(800L, 1200L);
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
