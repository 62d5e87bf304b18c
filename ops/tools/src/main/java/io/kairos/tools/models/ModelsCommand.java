package io.kairos.tools.models;

import io.kairos.models.registry.ModelMetadata;
import io.kairos.models.registry.ModelStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code models list|promote|rollback}: inspect the model store and choose what nodes serve. */
@Command(
        name = "models",
        description = "List, promote and roll back stored models.",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Promote.class, ModelsCommand.Rollback.class})
final class ModelsCommand extends CommandGroup {
    ModelsCommand() {
        super("name a subcommand: list, promote or rollback");
    }

    @Command(name = "list", description = "List stored model versions.")
    static final class ListModels extends ToolCommand {
        @Mixin
        StoreOption store;

        @Override
        int run() {
            try (var opened = store.open()) {
                ModelStore s = opened.store();
                List<ModelMetadata> all = s.list();
                var promoted = new LinkedHashMap<String, String>();
                all.forEach(m ->
                        promoted.computeIfAbsent(m.name(), n -> s.promoted(n).orElse(null)));
                if (json) {
                    var models = new ArrayList<Map<String, Object>>();
                    for (ModelMetadata m : all) {
                        var o = new LinkedHashMap<String, Object>();
                        o.put("name", m.name());
                        o.put("version", m.version());
                        o.put("kind", m.kind().name());
                        o.put("promoted", m.version().equals(promoted.get(m.name())));
                        o.put("createdAt", m.createdAt().toString());
                        o.put("training", m.training());
                        o.put("metrics", m.metrics());
                        models.add(o);
                    }
                    printJson(Map.of("models", models));
                } else {
                    if (all.isEmpty()) {
                        out().println("no models in " + opened.description());
                    }
                    for (ModelMetadata m : all) {
                        boolean isPromoted = m.version().equals(promoted.get(m.name()));
                        out().printf(
                                        "%s %-20s %-8s %-9s %s rows=%d %s%n",
                                        isPromoted ? "*" : " ",
                                        m.name(),
                                        m.version(),
                                        m.kind(),
                                        m.createdAt(),
                                        m.training().rows(),
                                        new java.util.TreeMap<>(m.metrics()));
                    }
                    out().flush();
                }
                return 0;
            }
        }
    }

    /** Changes which version of model NAME nodes serve, then reports the new and the previous version. */
    abstract static class PromotionCommand extends ToolCommand {
        @Mixin
        StoreOption store;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        /** Promotes another stored version of {@link #name}; returns it. */
        abstract String promote(ModelStore s);

        @Override
        final int run() {
            try (var opened = store.open()) {
                ModelStore s = opened.store();
                String previous = s.promoted(name).orElse(null);
                String version = promote(s);
                report(version, previous);
                return 0;
            }
        }

        private void report(String version, String previous) {
            if (json) {
                var o = new LinkedHashMap<String, Object>();
                o.put("name", name);
                o.put("version", version);
                o.put("previous", previous);
                printJson(o);
            } else {
                out().printf("%s: promoted version %s (was %s)%n", name, version, previous == null ? "none" : previous);
                out().flush();
            }
        }
    }

    @Command(
            name = "promote",
            description = "Make VERSION the promoted version of NAME (nodes switch to it without restart).")
    static final class Promote extends PromotionCommand {
        @Parameters(index = "1", paramLabel = "VERSION")
        String version;

        @Override
        String promote(ModelStore s) {
            s.promote(name, version);
            return version;
        }
    }

    @Command(name = "rollback", description = "Return NAME to the version promoted before the current one.")
    static final class Rollback extends PromotionCommand {
        @Override
        String promote(ModelStore s) {
            return s.rollback(name);
        }
    }
}
