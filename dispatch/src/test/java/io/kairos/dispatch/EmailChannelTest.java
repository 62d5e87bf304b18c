package io.kairos.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** E-mail through a real in-process SMTP server (GreenMail): headers, text, and a refused address. */
class EmailChannelTest {
    @RegisterExtension
    static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.load());

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    private EmailChannel channel() {
        var config = ConfigFactory.parseString(
                        """
        channels.email { enabled = on, smtp-host = "127.0.0.1", smtp-port = %d, starttls = off, from = "offers@kairos.test" }
        """
                                .formatted(smtp.getSmtp().getPort()))
                .withFallback(ConfigFactory.load().getConfig("kairos.dispatch"));
        return new EmailChannel(DispatchSettings.fromConfig(config).channels().get("email"), testKit.system());
    }

    @Test
    void anOfferIsMailedAsPlainTextWithAMessageIdAndIdempotencyKeyFromTheOffer() throws Exception {
        var message = new Message(
                "offer-42",
                "shopper-1",
                "c1",
                "CPN-42",
                "email",
                "ana@example.com",
                "A coupon for you",
                "15% off (at most 20.00 EUR). Use code CPN-42 before 2026-12-01 10:00 CET.",
                "15% off (at most 20.00 EUR).",
                Instant.parse("2026-12-01T09:00:00Z"),
                "");
        channel().send(message).toCompletableFuture().get(20, TimeUnit.SECONDS);
        var received = smtp.getReceivedMessages();
        assertThat(received).hasSize(1);
        var mail = received[0];
        assertThat(mail.getSubject()).isEqualTo("A coupon for you");
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("ana@example.com");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("offers@kairos.test");
        assertThat(mail.getHeader("Message-ID")[0]).isEqualTo("<offer-42@kairos>");
        assertThat(mail.getHeader("Idempotency-Key")[0]).isEqualTo("offer-42");
        assertThat(((String) mail.getContent()).strip())
                .isEqualTo("15% off (at most 20.00 EUR). Use code CPN-42 before 2026-12-01 10:00 CET.");
    }

    @Test
    void aMissingOrMalformedAddressIsRefusedForGood() {
        for (var address : new String[] {null, "not an address"}) {
            var message = new Message("offer-1", "s", "c1", "C", "email", address, "s", "b", "t", Instant.now(), "");
            try {
                channel().send(message).toCompletableFuture().get(20, TimeUnit.SECONDS);
                throw new AssertionError("expected a refusal for " + address);
            } catch (ExecutionException e) {
                assertThat(ResilientChannel.unwrap(e)).isInstanceOf(Channel.Rejected.class);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }
}
