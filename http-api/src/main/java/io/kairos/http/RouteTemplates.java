package io.kairos.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The API's route templates: the paths of the OpenAPI document the node serves, such as
 * {@code /v1/shoppers/{shopperId}/offers}. A request path is named by the template it matches, so metrics carry a
 * bounded set of routes, never raw paths with ids in them.
 *
 * <p>A template matches a path of as many segments, segment by segment: {@code {name}} matches any one non-empty
 * segment, anything else only itself. Where several match, literal segments beat parameters from left to right
 * ({@code /v1/shoppers/{shopperId}/offers/decide} over a {@code /v1/shoppers/{shopperId}/offers/{offerId}}).
 */
final class RouteTemplates {
    static final String UNMATCHED = "unmatched";

    private final List<Template> templates;

    private record Template(String path, List<String> segments) {
        static Template of(String path) {
            return new Template(path, RouteTemplates.segments(path));
        }

        boolean matches(List<String> parts) {
            if (parts.size() != segments.size()) return false;
            for (int i = 0; i < parts.size(); i++) {
                var s = segments.get(i);
                if (isParameter(s) ? parts.get(i).isEmpty() : !s.equals(parts.get(i))) return false;
            }
            return true;
        }

        /** Per segment 0 for a literal, 1 for a parameter: the lower, the more specific. */
        String specificity() {
            var key = new StringBuilder();
            for (var s : segments) key.append(isParameter(s) ? '1' : '0');
            return key.toString();
        }

        private static boolean isParameter(String segment) {
            return segment.startsWith("{") && segment.endsWith("}");
        }
    }

    private RouteTemplates(List<Template> templates) {
        this.templates = templates.stream()
                .sorted(Comparator.comparing(Template::specificity))
                .toList();
    }

    /** The templates of an OpenAPI document (YAML), the keys of its {@code paths}. */
    static RouteTemplates fromOpenApi(byte[] yaml) {
        try {
            var paths = new ObjectMapper(new YAMLFactory()).readTree(yaml).path("paths");
            var templates = new ArrayList<Template>();
            paths.fieldNames().forEachRemaining(p -> templates.add(Template.of(p)));
            if (templates.isEmpty()) throw new IllegalStateException("the OpenAPI document has no paths");
            return new RouteTemplates(templates);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The template {@code path} matches, or {@link #UNMATCHED}. */
    String match(String path) {
        return match(segments(path));
    }

    /** The template a path of these segments (without the leading empty one) matches, or {@link #UNMATCHED}. */
    String match(List<String> parts) {
        for (var t : templates) if (t.matches(parts)) return t.path();
        return UNMATCHED;
    }

    private static List<String> segments(String path) {
        var p = path.startsWith("/") ? path.substring(1) : path;
        return List.of(p.split("/", -1));
    }
}
