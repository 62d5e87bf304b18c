package io.kairos.shopper;

import akka.actor.typed.RecipientRef;
import io.kairos.entity.EntitySettings;
import io.kairos.privacy.PersonKeys;
import java.util.function.Function;

/**
 * What every shopper entity of a node shares: the settings, the restart and snapshot policy, how to reach another
 * shopper, the node's services, the rules and the key store. Built once per node ({@link ShopperEntity#factory}); each
 * entity holds one reference to it instead of its own copy of each, so what is the same for every shopper costs nothing
 * per shopper.
 */
record ShopperType(
        ShopperSettings settings,
        EntitySettings entity,
        Function<String, RecipientRef<ShopperCommand>> shoppers,
        OfferServices services,
        ShopperRules rules,
        PersonKeys keys) {

    /**
     * @param keys each person's pseudonym and key (crypto-shredding); null: journals named by shopper id, in plain form
     *     (tests of the shopper's behaviour on the in-memory journal)
     */
    ShopperType(
            ShopperSettings settings,
            EntitySettings entity,
            Function<String, RecipientRef<ShopperCommand>> shoppers,
            OfferServices services,
            PersonKeys keys) {
        this(settings, entity, shoppers, services, new ShopperRules(settings, services.settings()), keys);
    }
}
