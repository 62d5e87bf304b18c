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
     * be promoted. {@code first} and {@code second} are two handles on one store (two nodes), or the same one.
     */
    static void promotionsAndRollbacksFormOneHistory(ModelStore first, ModelStore second, String name) {
        first.promote(name, "1");
        second.promote(name, "2");
        assertThat(first.promoted(name)).contains("2");
        assertThat(first.rollback(name)).isEqualTo("1");
        assertThat(second.promoted(name)).contains("1");
        assertThatThrownBy(() -> second.rollback(name)).hasMessageContaining("no earlier");
        assertThatThrownBy(() -> second.promote(name, "7")).isInstanceOf(NoSuchElementException.class);
    }
}
