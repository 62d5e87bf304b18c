package io.kairos.models.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.NoSuchElementException;

/** What every {@link ModelStore} promises, checked the same way for each store's tests. */
final class ModelStoreContract {

    private ModelStoreContract() {}

    /**
     * With versions 1 and 2 of {@code name} saved and none promoted: {@code first} promotes 1, {@code second} promotes
     * 2, a rollback returns to 1 for both, there is nothing earlier to roll back to, and a version never saved cannot
     * be promoted. Each change is logged, newest first, with who made it; refused ones are not. {@code first} and
     * {@code second} are two handles on one store (two nodes), or the same one.
     */
    static void promotionsAndRollbacksFormOneHistory(ModelStore first, ModelStore second, String name) {
        var before = java.time.Instant.now();
        first.promote(name, "1", "ops-ann");
        second.promote(name, "2", "learning-loop");
        assertThat(first.promoted(name)).contains("2");
        assertThat(first.rollback(name, "ops-bob")).isEqualTo("1");
        assertThat(second.promoted(name)).contains("1");
        assertThatThrownBy(() -> second.rollback(name, "ops-bob")).hasMessageContaining("no earlier");
        assertThatThrownBy(() -> second.promote(name, "7", "ops-bob")).isInstanceOf(NoSuchElementException.class);

        var changes = second.changes(name);
        assertThat(changes)
                .extracting(ModelChange::action, ModelChange::version, ModelChange::previous, ModelChange::actor)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ModelChange.ROLLBACK, "1", "2", "ops-bob"),
                        org.assertj.core.groups.Tuple.tuple(ModelChange.PROMOTE, "2", "1", "learning-loop"),
                        org.assertj.core.groups.Tuple.tuple(ModelChange.PROMOTE, "1", null, "ops-ann"));
        assertThat(changes).allSatisfy(c -> assertThat(c.at()).isAfterOrEqualTo(before.minusSeconds(1)));
        assertThat(second.changes("never-promoted")).isEmpty();
    }

    /**
     * With versions 1 and 2 of {@code name} saved and none promoted, the learning loop's settlements: its promotion of
     * 1 over nothing, rolled back, leaves none promoted (the safe rule); promoted again and kept, it stays and the
     * confirmation is logged; its promotion of 2 over 1, rolled back, returns to 1, and an operator can then promote 2
     * again. A settlement of a version that is no longer promoted changes nothing.
     */
    static void settlementsKeepOrUndoTheLoopsPromotion(ModelStore first, ModelStore second, String name) {
        first.promote(name, "1", ModelChange.LEARNING_LOOP);
        assertThat(second.changes(name).get(0).watched()).isTrue();
        assertThat(second.settle(name, "1", false, ModelChange.LEARNING_LOOP)).isTrue();
        assertThat(first.promoted(name)).isEmpty();
        assertThat(first.settle(name, "1", true, ModelChange.LEARNING_LOOP))
                .as("1 is no longer promoted")
                .isFalse();

        first.promote(name, "1", ModelChange.LEARNING_LOOP);
        assertThat(second.settle(name, "1", true, ModelChange.LEARNING_LOOP)).isTrue();
        assertThat(first.promoted(name)).contains("1");
        assertThat(first.changes(name).get(0).watched())
                .as("a confirmed promotion is no longer watched")
                .isFalse();

        second.promote(name, "2", ModelChange.LEARNING_LOOP);
        assertThat(first.settle(name, "2", false, ModelChange.LEARNING_LOOP)).isTrue();
        assertThat(second.promoted(name)).contains("1");
        assertThatThrownBy(() -> second.rollback(name, "ops-bob")).hasMessageContaining("no earlier");
        second.promote(name, "2", "ops-ann");
        assertThat(first.settle(name, "1", false, ModelChange.LEARNING_LOOP)).isFalse();
        assertThat(first.promoted(name)).contains("2");
        assertThat(first.rollback(name, "ops-bob")).isEqualTo("1");

        assertThat(second.changes(name))
                .extracting(ModelChange::action, ModelChange::version, ModelChange::previous, ModelChange::actor)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ModelChange.ROLLBACK, "1", "2", "ops-bob"),
                        org.assertj.core.groups.Tuple.tuple(ModelChange.PROMOTE, "2", "1", "ops-ann"),
                        org.assertj.core.groups.Tuple.tuple(ModelChange.ROLLBACK, "1", "2", ModelChange.LEARNING_LOOP),
                        org.assertj.core.groups.Tuple.tuple(ModelChange.PROMOTE, "2", "1", ModelChange.LEARNING_LOOP),
                        org.assertj.core.groups.Tuple.tuple(ModelChange.CONFIRM, "1", null, ModelChange.LEARNING_LOOP),
                        org.assertj.core.groups.Tuple.tuple(ModelChange.PROMOTE, "1", null, ModelChange.LEARNING_LOOP),
                        org.assertj.core.groups.Tuple.tuple(ModelChange.ROLLBACK, null, "1", ModelChange.LEARNING_LOOP),
                        org.assertj.core.groups.Tuple.tuple(ModelChange.PROMOTE, "1", null, ModelChange.LEARNING_LOOP));
    }

    /**
     * Runs recorded by {@code first} come back from {@code second} whole, newest first, per model name, at most the
     * limit.
     */
    static void runsComeBackNewestFirst(ModelStore first, ModelStore second, String name) {
        var t0 = java.time.Instant.parse("2026-03-01T00:00:00Z");
        var older = run(name, "run-a", t0, "kept");
        var newer = run(name, "run-b", t0.plusSeconds(3600), "promoted");
        first.recordRun(newer);
        first.recordRun(older);
        first.recordRun(run(name + "-other", "run-c", t0, "failed"));

        assertThat(second.runs(name, 10)).containsExactly(newer, older);
        assertThat(second.runs(name, 1)).containsExactly(newer);
        assertThat(second.runs("never-trained", 10)).isEmpty();
    }

    private static TrainingRun run(String name, String id, java.time.Instant at, String verdict) {
        var window = new TrainingRun.Window(at.minusSeconds(7200), at.minusSeconds(60), 1200, 800);
        var estimate = new TrainingRun.Estimate(0.5, 0.1, 0.9);
        return new TrainingRun(
                id,
                name,
                "schedule",
                null,
                at,
                at.plusSeconds(30),
                window,
                window,
                "safe-rule@1",
                "4",
                new TrainingRun.Comparison("SNIPS", 300, 2, estimate, estimate, estimate, estimate, 0.02, 300),
                verdict,
                "because");
    }
}
