package io.kairos.http.tracking;

import static akka.http.javadsl.server.Directives.*;

import akka.Done;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.Uri;
import akka.http.javadsl.model.headers.CacheControl;
import akka.http.javadsl.model.headers.CacheDirectives;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import io.kairos.http.ApiException;
import io.kairos.metrics.KairosMetrics;
import io.kairos.privacy.PersonKeys;
import io.kairos.shopper.BehaviourEvent;
import io.kairos.shopper.EventType;
import io.kairos.shopper.ShopperCommand;
import io.kairos.shopper.ShopperCommand.*;
import io.kairos.tracking.TrackingSettings;
import io.kairos.tracking.TrackingTokens;
import io.kairos.tracking.TrackingTokens.Link;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /t/{token}}: a tracked link in a message, opened by a shopper (no API key). A genuine, unexpired token
 * records a {@code message_open} or {@code message_click} behaviour event for the link's shopper (through the shopper
 * entity, like {@code POST /v1/events}; with the link's coupon id, so the offer moves to opened and the funnel counts
 * it) and answers 302 to the link's target. Anything else answers 404 "invalid or expired link", never saying which.
 *
 * <p>Choices: the redirect waits for the event to be durable, but at most {@code kairos.tracking.record-timeout}; after
 * that, or if recording fails, the shopper is redirected anyway (the write may still land; a failure is logged): a slow
 * journal must not hold a shopper on a blank page, and the event of a click the journal could not take in a second is
 * the one thing lost. The event id is derived from the token and the current {@code dedup-window}, so repeated uses of
 * one link within a window (double clicks, reloads, mail scanners following the link again) are one event, while uses
 * in later windows are new events. Only targets on the allowed redirect hosts are ever followed
 * ({@link TrackingTokens#check}).
 */
public record TrackingRoutes(
        Function<String, EntityRef<ShopperCommand>> shoppers,
        TrackingTokens tokens,
        TrackingSettings settings,
        Clock clock,
        PersonKeys keys) {
    private static final Logger log = LoggerFactory.getLogger(TrackingRoutes.class);
    static final String INVALID = "invalid or expired link";

    public Route routes() {
        return pathPrefix("t", () -> path(PathMatchers.segment(), token -> get(() -> track(token))));
    }

    private Route track(String token) {
        var now = clock.instant();
        var check = tokens.check(token, now);
        if (!(check instanceof TrackingTokens.Valid valid)) {
            var reason = ((TrackingTokens.Rejected) check).reason();
            log.debug("tracking link refused: {}", reason);
            KairosMetrics.TRACKED_LINKS
                    .labelValues(reason.name().toLowerCase(java.util.Locale.ROOT))
                    .inc();
            throw ApiException.notFound(INVALID);
        }
        var link = valid.link();
        return onSuccess(
                record(token, link, now),
                done -> respondWithHeaders(
                        List.of(
                                CacheControl.create(CacheDirectives.NO_STORE),
                                RawHeader.create("Referrer-Policy", "no-referrer")),
                        () -> redirect(Uri.create(link.target().toString()), StatusCodes.FOUND)));
    }

    /**
     * Completes when the event is durable, or failed, or the record timeout passed: never fails. A link that names the
     * person by pseudonym finds it through the key store; once the person is erased it records nothing.
     */
    private CompletionStage<Done> record(String token, Link link, Instant now) {
        var event = event(token, link, now, settings.dedupWindow().toSeconds());
        CompletionStage<Optional<String>> whom = link.pseudonym()
                ? keys.subjectNamed(link.shopperId())
                : CompletableFuture.completedFuture(Optional.of(link.shopperId()));
        return whom.thenCompose(shopper -> shopper.isEmpty()
                        ? CompletableFuture.completedFuture(new ShopperCommand.Recorded(link.shopperId(), 0, 0, 1))
                        : shoppers.apply(shopper.get())
                                .<ShopperCommand.Recorded>ask(
                                        r -> new ShopperCommand.RecordEvents(List.of(event), now, r),
                                        settings.recordTimeout()))
                .handle((recorded, failure) -> {
                    KairosMetrics.TRACKED_LINKS
                            .labelValues(
                                    failure != null
                                            ? "unconfirmed"
                                            : recorded.accepted() > 0
                                                    ? "recorded"
                                                    : recorded.erased() > 0 ? "erased" : "duplicate")
                            .inc();
                    if (failure != null) {
                        log.warn(
                                "tracking event {} of shopper {} not confirmed within {}; redirecting anyway: {}",
                                event.eventId(),
                                link.shopperId(),
                                settings.recordTimeout(),
                                failure.toString());
                    }
                    return Done.getInstance();
                });
    }

    /** The behaviour event a use of the link at {@code now} records; the same within one dedup window. */
    static BehaviourEvent event(String token, Link link, Instant now, long windowSeconds) {
        var type = link.kind() == TrackingTokens.Kind.OPEN ? EventType.MESSAGE_OPEN : EventType.MESSAGE_CLICK;
        var eventId = "t-" + TrackingTokens.digest(token) + "-" + Math.floorDiv(now.getEpochSecond(), windowSeconds);
        return BehaviourEvent.of(eventId, type, now)
                .withCoupon(link.channel(), link.couponId())
                .withAttributes(Map.of("offerId", link.offerId(), "via", "tracked-link"));
    }
}
