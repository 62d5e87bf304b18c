package io.kairos.offer;

import io.kairos.campaign.Campaign;
import io.kairos.campaign.Coupon;
import io.kairos.campaign.CouponType;
import java.math.BigDecimal;
import java.text.MessageFormat;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Optional;
import java.util.ResourceBundle;

/**
 * An offer's explanation for the shopper it was made to, from its decision record, in plain language: English or
 * Simplified Chinese (the JDK's resource bundles, {@code io/kairos/offer/explanations*.properties}). Pure.
 *
 * <p>It names the main factors from the shopper's own recorded features (orders, how recent, views, cart, the kind of
 * coupon they use), what started the decision, and whether the draw explored; a decision made without the shopper's
 * behaviour says so. It uses no other shopper's data and no model internals (no scores, weights, propensities or
 * thresholds a shopper could game): the auditor's record keeps those.
 */
public final class Explanations {
    private Explanations() {}

    /** The languages explained in; the first is the default. */
    public static final List<Locale> LANGUAGES = List.of(Locale.ENGLISH, Locale.SIMPLIFIED_CHINESE);

    /** An explanation: whether the decision used the shopper's behaviour, one sentence, and the factors. */
    public record Explanation(boolean personalized, String summary, List<String> factors) {}

    /** The language of a {@code lang} parameter ({@code en}, {@code zh-CN}), or empty when it is not one we speak. */
    public static Optional<Locale> language(String tag) {
        if (tag == null) return Optional.of(LANGUAGES.get(0));
        var asked = Locale.forLanguageTag(tag);
        return LANGUAGES.stream()
                .filter(l -> l.getLanguage().equals(asked.getLanguage())
                        && (asked.getCountry().isEmpty()
                                || l.getCountry().isEmpty()
                                || l.getCountry().equals(asked.getCountry())))
                .findFirst();
    }

    /**
     * @param offer the offer the decision issued
     * @param campaign the offer's campaign, for its name and currency (empty: not named)
     * @param shopCurrency the currency of a campaign that names none (ISO 4217)
     */
    public static Explanation explain(
            DecisionRecord record, Offer offer, Optional<Campaign> campaign, String shopCurrency, Locale lang) {
        var text = bundle(lang);
        var currency =
                campaign.map(Campaign::display).map(Campaign.Display::currency).orElse(shopCurrency);
        var coupon = describe(offer.coupon(), currency, text, lang);
        boolean personalized =
                record.inputs() == null || !Boolean.FALSE.equals(record.inputs().personalized());
        var factors = new ArrayList<String>();
        if (personalized) {
            var n = record.inputs() == null || record.inputs().features() == null
                    ? Map.<String, Double>of()
                    : record.inputs().features().numbers();
            var c = record.inputs() == null || record.inputs().features() == null
                    ? Map.<String, String>of()
                    : record.inputs().features().categories();
            if (record.trigger() != null && record.trigger().equals("cart_abandoned"))
                factors.add(text.getString("factor.trigger.cart_abandoned"));
            else if (record.trigger() != null && record.trigger().startsWith("lifecycle:"))
                factors.add(text.getString("factor.trigger.lifecycle"));
            long orders = Math.round(n.getOrDefault("frequency", 0.0));
            factors.add(
                    orders >= 2
                            ? format(text, "factor.orders", lang, orders)
                            : text.getString(orders == 1 ? "factor.orderedOnce" : "factor.noOrder"));
            if (n.containsKey("recencyDays") && orders >= 1) {
                long days = Math.round(n.get("recencyDays"));
                factors.add(
                        days == 0
                                ? text.getString("factor.recency.today")
                                : format(text, "factor.recency", lang, days));
            }
            if (n.getOrDefault("views", 0.0) >= 1) factors.add(text.getString("factor.views"));
            if (n.getOrDefault("carts", 0.0) >= 0.5) factors.add(text.getString("factor.carts"));
            var preferred = c.get("preferenceClass");
            if (preferred != null && preferred.equals(offer.coupon().type().wireName()))
                factors.add(text.getString("factor.couponType"));
        } else {
            factors.add(text.getString("factor.openToAll"));
        }
        var exploration = record.choice() == null ? null : record.choice().exploration();
        if (exploration != null && exploration.explored()) factors.add(text.getString("factor.explored"));
        campaign.map(Campaign::name).ifPresent(name -> factors.add(format(text, "factor.campaign", lang, name)));
        var summary = format(text, personalized ? "summary.personalized" : "summary.notPersonalized", lang, coupon);
        return new Explanation(personalized, summary, List.copyOf(factors));
    }

    /**
     * What a shopper's price for one SKU is, in one sentence: the price everyone pays, less the discount of the
     * wallet's best coupons (named by their ids), and whether the shop's floor limited it. A guest has no wallet.
     *
     * @param currency the SKU's currency (ISO 4217)
     */
    public static String price(
            boolean guest,
            List<String> couponIds,
            BigDecimal discount,
            String currency,
            boolean floorCapped,
            List<String> unpaid,
            Locale lang) {
        var text = bundle(lang);
        if (guest) return text.getString("price.everyone");
        if (couponIds.isEmpty() && unpaid != null && !unpaid.isEmpty()) {
            var ids = String.join(text.getString("price.couponSeparator"), unpaid);
            return format(text, "price.unpaid", lang, unpaid.size(), ids);
        }
        if (couponIds.isEmpty()) return text.getString("price.noCoupon");
        var sentence = format(
                text,
                "price.withCoupons",
                lang,
                money(discount, currency, lang),
                couponIds.size(),
                String.join(text.getString("price.couponSeparator"), couponIds));
        return floorCapped ? sentence + text.getString("price.floorCapped") : sentence;
    }

    private static ResourceBundle bundle(Locale lang) {
        return BUNDLES.computeIfAbsent(
                lang, l -> ResourceBundle.getBundle("io.kairos.offer.explanations", l, NO_FALLBACK_TO_SYSTEM_LOCALE));
    }

    private static final java.util.concurrent.ConcurrentMap<Locale, ResourceBundle> BUNDLES =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static String describe(Coupon coupon, String currency, ResourceBundle text, Locale lang) {
        var key = "coupon." + coupon.type().wireName();
        try {
            return format(
                    text,
                    key,
                    lang,
                    coupon.type() == CouponType.PERCENT_OFF
                            ? coupon.value().stripTrailingZeros().toPlainString()
                            : money(coupon.value(), currency, lang),
                    coupon.minSpend() == null ? "" : money(coupon.minSpend(), currency, lang));
        } catch (MissingResourceException e) {
            return text.getString("coupon.other");
        }
    }

    /**
     * An amount of money as {@code lang} writes it in {@code currency}: "$3.00", "CN¥3.00" in English, "¥3.00" in
     * Chinese, with the currency's own decimals (JDK/CLDR formats, kept per language and currency and used under their
     * lock, like the patterns). An amount with no known currency is the bare number.
     */
    static String money(BigDecimal amount, String currency, Locale lang) {
        if (currency == null) return amount.stripTrailingZeros().toPlainString();
        var format = MONEY.computeIfAbsent(lang.toLanguageTag() + '|' + currency, k -> {
            try {
                var unit = Currency.getInstance(currency);
                var f = NumberFormat.getCurrencyInstance(lang);
                f.setCurrency(unit);
                f.setMinimumFractionDigits(Math.max(0, unit.getDefaultFractionDigits()));
                f.setMaximumFractionDigits(Math.max(0, unit.getDefaultFractionDigits()));
                return Optional.of(f);
            } catch (IllegalArgumentException notIso) {
                return Optional.empty();
            }
        });
        if (format.isEmpty()) return amount.stripTrailingZeros().toPlainString() + ' ' + currency;
        synchronized (format.get()) {
            return format.get().format(amount);
        }
    }

    private static final java.util.concurrent.ConcurrentMap<String, Optional<NumberFormat>> MONEY =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The pattern {@code key} of {@code text} filled with {@code args}. Patterns are parsed once per language and key
     * (a shopper's prices explain 20 SKUs a request); a {@link MessageFormat} is not thread-safe, so each is used under
     * its own lock, held for one format.
     */
    private static String format(ResourceBundle text, String key, Locale lang, Object... args) {
        var pattern = PATTERNS.computeIfAbsent(
                lang.toLanguageTag() + '|' + key, k -> new MessageFormat(text.getString(key), lang));
        synchronized (pattern) {
            return pattern.format(args);
        }
    }

    private static final java.util.concurrent.ConcurrentMap<String, MessageFormat> PATTERNS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** The base bundle (English) is the fallback, never the machine's default locale. */
    private static final ResourceBundle.Control NO_FALLBACK_TO_SYSTEM_LOCALE =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);
}
