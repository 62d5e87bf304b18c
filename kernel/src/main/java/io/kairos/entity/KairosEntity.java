package io.kairos.entity;

import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.RetentionCriteria;

/**
 * What every Kairos entity shares: its persistence id ({@code type|id}), and the restart backoff and snapshot policy of
 * its type from {@code kairos.entities} ({@link EntitySettings}). Subclasses add the state, its empty state and where
 * their type's settings are (neither is held here: a node holds one entity per shopper, and two fields less in each add
 * up), the command handlers and an event handler that delegates to the state's {@code apply}.
 */
public abstract class KairosEntity<C, E, S> extends EventSourcedBehaviorWithEnforcedReplies<C, E, S> {

    protected KairosEntity(String entityType, String entityId, EntitySettings entity) {
        this(PersistenceId.of(entityType, entityId), entity);
    }

    /** An entity whose journal is not named by its entity id (a shopper's is named by its pseudonym). */
    protected KairosEntity(PersistenceId persistenceId, EntitySettings entity) {
        super(persistenceId, entity.restartBackoff());
    }

    /** The settings of the entity's type (as given to the constructor), which the entity does not hold itself. */
    protected abstract EntitySettings entitySettings();

    /**
     * Registers the handler of every command, per state type or for any state. Entities with a {@link CommandTable}
     * shared by their whole type override {@link #commandHandler} instead.
     */
    protected void commands(CommandHandlerWithReplyBuilder<C, E, S> builder) {
        throw new IllegalStateException(getClass().getName() + " overrides neither commands nor commandHandler");
    }

    /** Built per entity from {@link #commands}; an entity type with a shared {@link CommandTable} overrides it. */
    @Override
    public CommandHandlerWithReply<C, E, S> commandHandler() {
        var builder = newCommandHandlerWithReplyBuilder();
        commands(builder);
        return builder.build();
    }

    @Override
    public final RetentionCriteria retentionCriteria() {
        return entitySettings().retention();
    }
}
