package io.kairos.testkit;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.Behavior;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An actor test kit on the in-memory journal for the entity tests of every module, as a JUnit 5 extension: register it
 * in a static field ({@code @RegisterExtension static final EntityTestKit kits = new EntityTestKit();}), take a fresh
 * {@link EventSourcedBehaviorTestKit} per test from {@link #of}, and it shuts down after the class.
 */
public final class EntityTestKit implements AfterAllCallback {
    private final ActorTestKit testKit;

    public EntityTestKit() {
        this(ConfigFactory.empty());
    }

    /** {@code overrides} win over the test kit's persistence plugins and the classpath's configuration. */
    public EntityTestKit(Config overrides) {
        this.testKit = ActorTestKit.create(
                overrides.withFallback(EventSourcedBehaviorTestKit.config()).withFallback(ConfigFactory.load()));
    }

    public ActorTestKit testKit() {
        return testKit;
    }

    /** A test kit for {@code behavior}, with the in-memory journal cleared. */
    public <C, E, S> EventSourcedBehaviorTestKit<C, E, S> of(Behavior<C> behavior) {
        EventSourcedBehaviorTestKit<C, E, S> kit = EventSourcedBehaviorTestKit.create(testKit.system(), behavior);
        kit.clear();
        return kit;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        testKit.shutdownTestKit();
    }
}
