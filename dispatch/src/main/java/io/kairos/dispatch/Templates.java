package io.kairos.dispatch;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import com.typesafe.config.Config;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Message templates (Mustache) per campaign and channel from {@code kairos.dispatch.templates}:
 * {@code <campaignId>.<channel>}, else {@code <campaignId>.any}, else {@code default.<channel>}, else
 * {@code default.any}. Compiled once per key. Mustache escapes HTML by default; messages are plain text, so values are
 * inserted as they are (an e-mail body is sent as text/plain).
 */
public final class Templates {
    public record Rendered(String subject, String body) {}

    private final Config config;
    private final Mustache.Compiler compiler =
            Mustache.compiler().escapeHTML(false).defaultValue("");
    private final Map<String, Template[]> compiled = new ConcurrentHashMap<>();

    public Templates(Config config) {
        this.config = config;
    }

    public Rendered render(String campaignId, String channel, Map<String, Object> values) {
        var t = compiled.computeIfAbsent(campaignId + "\u0000" + channel, k -> compile(campaignId, channel));
        return new Rendered(t[0].execute(values).strip(), t[1].execute(values).strip());
    }

    private Template[] compile(String campaignId, String channel) {
        for (var path : new String[] {
            q(campaignId) + "." + q(channel), q(campaignId) + ".any", "default." + q(channel), "default.any"
        }) {
            if (config.hasPath(path + ".body")) {
                var c = config.getConfig(path);
                var subject = c.hasPath("subject") ? c.getString("subject") : "";
                return new Template[] {compiler.compile(subject), compiler.compile(c.getString("body"))};
            }
        }
        throw new IllegalStateException(
                "no template for " + campaignId + "/" + channel + " and no kairos.dispatch.templates.default.any");
    }

    private static String q(String key) {
        return com.typesafe.config.ConfigUtil.quoteString(key);
    }
}
