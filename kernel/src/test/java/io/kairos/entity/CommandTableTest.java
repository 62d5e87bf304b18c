package io.kairos.entity;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A table shared by every entity of a type: each entity's handler gets its own entity and state, dispatch goes by the
 * state's and command's types (exact first, then the first registered supertype pair), and an unregistered command is
 * unhandled.
 */
class CommandTableTest {
    private static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.parseString(
                    """
                    akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
                    akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.local"
                    akka.persistence.snapshot-store.local.dir = "target/command-table-snapshots"
                    """)
            .withFallback(ConfigFactory.load()));

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    interface Command {}

    record Add(int n, ActorRef<String> replyTo) implements Command {}

    record Ask(ActorRef<String> replyTo) implements Command {}

    record Other() implements Command {}

    sealed interface State {}

    record Counting(int total) implements State {}

    record Closed() implements State {}

    static final class Counter extends EventSourcedBehaviorWithEnforcedReplies<Command, Integer, State> {
        private static final CommandTable<Counter, Command, Integer, State> TABLE =
                CommandTable.<Counter, Command, Integer, State>builder()
                        .on(Counting.class, Add.class, (e, s, c) -> e.Effect()
                                .persist(c.n())
                                .thenReply(c.replyTo(), after -> e.id + "=" + ((Counting) after).total()))
                        // any state, by supertype: the first pair that matches
                        .on(State.class, Ask.class, (e, s, c) -> e.Effect().reply(c.replyTo(), e.id + ":" + s))
                        .build();

        private final String id;

        Counter(String id) {
            super(PersistenceId.of("Counter", id));
            this.id = id;
        }

        @Override
        public State emptyState() {
            return new Counting(0);
        }

        @Override
        public CommandHandlerWithReply<Command, Integer, State> commandHandler() {
            return (s, c) -> TABLE.apply(this, s, c, Effect());
        }

        @Override
        public EventHandler<State, Integer> eventHandler() {
            return (s, n) -> new Counting(((Counting) s).total() + n);
        }
    }

    @Test
    void eachEntityGetsItsOwnSelfAndStateThroughTheSharedTable() {
        var a = testKit.spawn(new Counter("a"));
        var b = testKit.spawn(new Counter("b"));
        var probe = TestProbe.<String>create(testKit.system());
        a.tell(new Add(2, probe.getRef()));
        assertThat(probe.receiveMessage()).isEqualTo("a=2");
        b.tell(new Add(5, probe.getRef()));
        assertThat(probe.receiveMessage()).isEqualTo("b=5");
        a.tell(new Add(3, probe.getRef()));
        assertThat(probe.receiveMessage()).isEqualTo("a=5");
        a.tell(new Ask(probe.getRef()));
        assertThat(probe.receiveMessage()).isEqualTo("a:Counting[total=5]");
    }

    @Test
    void aCommandNoHandlerTakesIsUnhandled() {
        var unhandled = TestProbe.<akka.actor.UnhandledMessage>create(testKit.system());
        testKit.system()
                .eventStream()
                .tell(new akka.actor.typed.eventstream.EventStream.Subscribe<>(
                        akka.actor.UnhandledMessage.class, unhandled.getRef()));
        var c = testKit.spawn(new Counter("c"));
        c.tell(new Other());
        assertThat(unhandled.receiveMessage(Duration.ofSeconds(5)).getMessage()).isEqualTo(new Other());
        var probe = TestProbe.<String>create(testKit.system());
        c.tell(new Ask(probe.getRef()));
        assertThat(probe.receiveMessage()).isEqualTo("c:Counting[total=0]");
    }
}
