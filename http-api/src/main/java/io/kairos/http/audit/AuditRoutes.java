package io.kairos.http.audit;

import static akka.http.javadsl.server.Directives.*;
import static io.kairos.http.ApiDirectives.*;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import io.kairos.http.ApiException;
import io.kairos.http.ApiKeys;
import io.kairos.http.HttpSettings;
import io.kairos.http.Role;
import io.kairos.http.Validator;
import io.kairos.offer.DecisionLookup;
import java.util.concurrent.TimeUnit;

/**
 * {@code /v1/audit/decisions/{decisionId}} (role auditor): a decision as recorded. Decisions are found through
 * {@link DecisionLookup} (in a node, the Cassandra table the shopper projection writes), so a decision made in the last
 * few seconds may not be there yet: 404 says so.
 */
public final class AuditRoutes {
  private final DecisionLookup decisions;
  private final ApiKeys keys;
  private final HttpSettings settings;

  public AuditRoutes(DecisionLookup decisions, ApiKeys keys, HttpSettings settings) {
    this.decisions = decisions;
    this.keys = keys;
    this.settings = settings;
  }

  public Route routes() {
    return path(PathMatchers.segment("audit").slash("decisions").slash(PathMatchers.segment()), id -> get(() ->
        authorized(keys, settings, roles(Role.AUDITOR), () -> decision(id))));
  }

  private Route decision(String id) {
    Validator.requireId("decisionId", id);
    var found = decisions.find(id).toCompletableFuture().orTimeout(settings.askTimeout().toMillis(), TimeUnit.MILLISECONDS);
    return onSuccess(found, d -> complete(json(StatusCodes.OK, DecisionResponse.of(d.orElseThrow(() -> ApiException.notFound(
        "no decision " + id + " (a decision is listed here a few seconds after it is made)"))))));
  }
}
