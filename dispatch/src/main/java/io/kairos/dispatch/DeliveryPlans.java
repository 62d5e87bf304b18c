package io.kairos.dispatch;

import io.kairos.shopper.ShopperSummary;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.OptionalInt;

/**
 * What a delivery sends and when, from the shopper's view: the zone quiet hours are counted in, the local hour the
 * shopper is most active at, and the message rendered for the chosen channel (coupon terms, expiry in the shopper's
 * zone, the tracked link). Pure: the entity decides whether to send.
 */
final class DeliveryPlans {
    private DeliveryPlans() {}

    /**
     * The local hour of the person's peak activity (from their events' UTC hours), else the configured default hour,
     * else none (send as soon as allowed).
     */
    static OptionalInt localHour(ShopperSummary summary, ZoneId zone, Instant now, DispatchSettings settings) {
        var peakUtcHour = summary.activity().activeHours().peakUtcHour(settings.activeHourMinEvents());
        if (peakUtcHour.isPresent()) {
            return OptionalInt.of(now.atZone(ZoneOffset.UTC)
                    .withHour(peakUtcHour.getAsInt())
                    .withZoneSameInstant(zone)
                    .getHour());
        }
        return settings.defaultHour() >= 0 ? OptionalInt.of(settings.defaultHour()) : OptionalInt.empty();
    }

    static ZoneId zone(ShopperSummary summary, DispatchSettings settings) {
        var tz = summary.profile().timeZone();
        try {
            return tz == null || tz.isBlank() ? settings.defaultZone() : ZoneId.of(tz);
        } catch (java.time.DateTimeException e) {
            return settings.defaultZone();
        }
    }

    static DeliveryEntity.Plan plan(
            DeliveryState s,
            String offerId,
            ShopperSummary summary,
            ZoneId zone,
            ChannelChoice.Option option,
            DeliveryEntity.Env env) {
        var o = s.offer();
        var terms = CouponTerms.render(o.coupon(), env.settings().currency());
        var expires = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm zzz")
                .format(o.expiresAt().atZone(zone));
        var link = s.person() != null
                ? env.links().linkFor(o, s.person(), true, option.name())
                : env.links().linkFor(o, summary.shopperId(), false, option.name());
        var address = option.addressAttribute().isEmpty()
                ? null
                : summary.profile().attributes().get(option.addressAttribute());
        var rendered = env.templates()
                .render(
                        o.campaignId(),
                        option.name(),
                        Map.of(
                                "shopperId",
                                summary.shopperId(),
                                "offerId",
                                offerId,
                                "couponId",
                                o.couponId(),
                                "campaignId",
                                o.campaignId(),
                                "terms",
                                terms,
                                "expiresAt",
                                expires,
                                "trackingUrl",
                                link));
        var message = new Message(
                offerId,
                summary.shopperId(),
                o.campaignId(),
                o.couponId(),
                option.name(),
                address,
                rendered.subject(),
                rendered.body(),
                terms,
                o.expiresAt(),
                link);
        return new DeliveryEntity.Plan(option.name(), option.cost(), message);
    }
}
