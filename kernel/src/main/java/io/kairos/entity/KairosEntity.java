package io.kairos.entity;

import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.RetentionCriteria;

/**
 * What every Kairos entity shares: its persistence id ({@code type|id}), and the restart backoff and snapshot policy of
 * its type from {@code kairos.entities} ({@link EntitySettings}). Subclasses add the state, the command handlers and an
 * event handler that delegates to the state's {@code apply}.
 */
public abstract class KairosEntity<C, E, S> extends EventSourcedBehaviorWithEnforcedReplies<C, E, S> {

    private final EntitySettings entity;
    private final S empty;

    protected KairosEntity(String entityType, String entityId, EntitySettings entity, S empty) {
        super(PersistenceId.of(entityType, entityId), entity.restartBackoff());
        this.entity = entity;
        this.empty = empty;
    }

    /**
     * Registers the handler of every command, per state type or for any state. Entities with a {@link CommandTable}
     * shared by their whole type override {@link #commandHandler} instead.
     */
    protected void commands(CommandHandlerWithReplyBuilder<C, E, S> builder) {
        throw new IllegalStateException(getClass().getName() + " overrides neither commands nor commandHandler");
    }

    @Override
    public final S emptyState() {
        return empty;
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
        return entity.retention();
    }
}
