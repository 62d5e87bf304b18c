package io.kairos.campaign;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.ddata.Key;
import akka.cluster.ddata.LWWMap;
import akka.cluster.ddata.LWWMapKey;
import akka.cluster.ddata.LWWRegister;
import akka.cluster.ddata.SelfUniqueAddress;
import akka.cluster.ddata.typed.javadsl.DistributedData;
import akka.cluster.ddata.typed.javadsl.Replicator;
import java.util.List;
import java.util.Optional;

/**
 * The campaign catalogue of a cluster node (an Akka extension): campaign entities publish their view into a
 * last-writer-wins map in Akka Distributed Data with {@code WriteAll}; every node subscribes and copies changes into a
 * {@link LocalCampaignCatalogue}, which shopper actors read synchronously.
 *
 * <p>The register's clock is the view's version (the campaign entity's sequence number), so neither clock skew nor a
 * late notification brings an older definition or status back. Staleness: on the node of the campaign entity a read
 * sees a change once the entity has persisted it; on other reachable nodes within one hop plus the replicator's
 * notify-subscribers-interval, with gossip repairing a lost write. After a whole-cluster restart the map is empty until
 * the campaign entities start again: they are remembered entities (restarted by sharding) and publish on recovery.
 */
public final class ReplicatedCampaignCatalogue implements Extension, CampaignCatalogue {
    private static final Key<LWWMap<String, CampaignView>> KEY = LWWMapKey.create("kairos-campaigns");
    private static final LWWRegister.Clock<CampaignView> VERSION_CLOCK = (current, view) -> view.version();

    private final LocalCampaignCatalogue local = new LocalCampaignCatalogue();
    private final ActorRef<Replicator.Command> replicator;
    private final SelfUniqueAddress node;
    private final Replicator.WriteConsistency writeAll;
    private final ActorRef<Replicator.UpdateResponse<LWWMap<String, CampaignView>>> ignore;

    private ReplicatedCampaignCatalogue(ActorSystem<?> system) {
        var settings = CampaignSettings.create(system);
        this.replicator = DistributedData.get(system).replicator();
        this.node = DistributedData.get(system).selfUniqueAddress();
        this.writeAll = new Replicator.WriteAll(settings.catalogueWriteTimeout());
        this.ignore = system.ignoreRef();
        system.systemActorOf(subscriber(), "kairosCampaignCatalogue", Props.empty());
    }

    public static ReplicatedCampaignCatalogue get(ActorSystem<?> system) {
        return Id.INSTANCE.apply(system);
    }

    @Override
    public void publish(CampaignView view) {
        local.publish(view);
        replicator.tell(new Replicator.Update<>(KEY, LWWMap.create(), writeAll, ignore, map -> {
            var existing = map.get(view.campaignId());
            return existing.isDefined() && existing.get().version() >= view.version()
                    ? map
                    : map.put(node, view.campaignId(), view, VERSION_CLOCK);
        }));
    }

    @Override
    public Optional<CampaignView> get(String campaignId) {
        return local.get(campaignId);
    }

    @Override
    public List<CampaignView> all() {
        return local.all();
    }

    private Behavior<Replicator.SubscribeResponse<LWWMap<String, CampaignView>>> subscriber() {
        return Behaviors.setup(ctx -> {
            replicator.tell(new Replicator.Subscribe<>(KEY, ctx.getSelf()));
            return Behaviors.receiveMessage(msg -> {
                if (msg instanceof Replicator.Changed<LWWMap<String, CampaignView>> changed) {
                    changed.dataValue().getEntries().values().forEach(local::publish);
                }
                return Behaviors.same();
            });
        });
    }

    /** The extension's id. */
    public static final class Id extends ExtensionId<ReplicatedCampaignCatalogue> {
        static final Id INSTANCE = new Id();

        @Override
        public ReplicatedCampaignCatalogue createExtension(ActorSystem<?> system) {
            return new ReplicatedCampaignCatalogue(system);
        }
    }
}
