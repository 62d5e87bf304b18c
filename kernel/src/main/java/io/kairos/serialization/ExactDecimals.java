package io.kairos.serialization;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Keeps decimals exact in JSON trees. Jackson's default node factory strips trailing zeros from decimals read into a
 * tree ({@code 10} becomes {@code 1E+1}, {@code 19.90} becomes {@code 19.9}); a Jackson migration reads an old payload
 * as a tree, so money in migrated events would change its scale. Registered with Akka's Jackson serializers in this
 * module's {@code reference.conf}.
 */
public final class ExactDecimals extends SimpleModule {
    public ExactDecimals() {
        super("kairos-exact-decimals");
    }

    @Override
    public void setupModule(SetupContext context) {
        super.setupModule(context);
        if (context.getOwner() instanceof ObjectMapper mapper) {
            mapper.setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
        }
    }
}
