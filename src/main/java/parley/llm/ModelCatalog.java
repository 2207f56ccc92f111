package parley.llm;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.chat.ErrorCode;
import parley.chat.ModelIds;
import parley.chat.Rejection;

/**
 * The models this node's replies can use, from every provider: a provider configured with
 * {@code models} offers those; any other is asked for its own {@code /models} list at start and
 * then every refresh period. A provider that does not answer keeps the models it last listed,
 * marked unavailable, and does not fail the list. Confined to the verticle's event loop.
 */
final class ModelCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(ModelCatalog.class);

  /** One entry of {@code GET /api/models}. */
  record Model(String id, String provider, String name, boolean available) {
    JsonObject toJson() {
      return new JsonObject().put("id", id).put("provider", provider).put("name", name).put("available", available);
    }
  }

  /** A model picked for a reply: its id (what the reply records) and the provider that serves it. */
  record Choice(String id, String name, ModelProvider provider) {}

  private static final class Listing {
    final ModelProvider provider;
    final List<String> fixed;
    List<String> names;
    boolean available;

    Listing(ModelProvider provider, List<String> fixed) {
      this.provider = provider;
      this.fixed = fixed;
      this.names = fixed;
      this.available = true;
    }
  }

  private final Vertx vertx;
  private final long refreshMs;
  private final Map<String, Listing> listings = new LinkedHashMap<>();
  private Future<Void> firstRefresh = Future.succeededFuture();
  private long timer = -1;

  /** @param providers in their order (the first model of the first is the default), each with its fixed models or none */
  ModelCatalog(Vertx vertx, Map<ModelProvider, List<String>> providers, long refreshMs) {
    this.vertx = vertx;
    this.refreshMs = refreshMs;
    providers.forEach((provider, fixed) -> listings.put(provider.name(), new Listing(provider, List.copyOf(fixed))));
  }

  void start() {
    firstRefresh = refresh();
    if (listings.values().stream().anyMatch(listing -> listing.fixed.isEmpty())) {
      timer = vertx.setPeriodic(refreshMs, id -> refresh());
    }
  }

  void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    listings.values().forEach(listing -> listing.provider.close());
  }

  List<ModelProvider> providers() {
    return listings.values().stream().map(listing -> listing.provider).toList();
  }

  /** Asks each provider without fixed models for its list; never fails. */
  Future<Void> refresh() {
    List<Future<Void>> asked = new ArrayList<>();
    for (Listing listing : listings.values()) {
      if (!listing.fixed.isEmpty()) {
        continue;
      }
      asked.add(listing.provider.models().map(names -> {
        listing.names = List.copyOf(names);
        listing.available = true;
        return (Void) null;
      }).recover(failure -> {
        if (listing.available) {
          LOG.warn("Provider {} did not list its models, shown as unavailable: {}", listing.provider.name(), failure.getMessage());
        }
        listing.available = false;
        return Future.succeededFuture();
      }));
    }
    return Future.join(asked).transform(done -> Future.succeededFuture());
  }

  /** Every model, by provider; a provider that never listed any shows as one unavailable entry with an empty name. */
  Future<List<Model>> list() {
    return firstRefresh.map(v -> {
      List<Model> models = new ArrayList<>();
      listings.forEach((provider, listing) -> {
        if (listing.names.isEmpty() && !listing.available) {
          models.add(new Model(ModelIds.of(provider, ""), provider, "", false));
        }
        listing.names.forEach(name -> models.add(new Model(ModelIds.of(provider, name), provider, name, listing.available)));
      });
      return models;
    });
  }

  static JsonArray toJson(List<Model> models) {
    JsonArray array = new JsonArray();
    models.forEach(model -> array.add(model.toJson()));
    return array;
  }

  /**
   * The model a reply uses: the one asked for (refused when unknown), else the chat's (while it is
   * still offered), else the first configured.
   */
  Future<Choice> choose(String requested, String chatModel) {
    return firstRefresh.compose(v -> {
      if (requested != null) {
        Choice choice = find(requested);
        return choice != null
            ? Future.succeededFuture(choice)
            : Future.failedFuture(Rejection.badRequest("unknown model '" + requested + "': GET /api/models lists them"));
      }
      Choice chats = chatModel == null ? null : find(chatModel);
      if (chats != null) {
        return Future.succeededFuture(chats);
      }
      for (Listing listing : listings.values()) {
        if (!listing.names.isEmpty()) {
          String name = listing.names.get(0);
          return Future.succeededFuture(new Choice(ModelIds.of(listing.provider.name(), name), name, listing.provider));
        }
      }
      return Future.failedFuture(new Rejection(ErrorCode.UNAVAILABLE, "no model is available: no provider has listed any"));
    });
  }

  /** The known model with this id, or null. */
  Choice find(String id) {
    int slash = id.indexOf('/');
    Listing listing = slash <= 0 ? null : listings.get(id.substring(0, slash));
    String name = slash <= 0 ? null : id.substring(slash + 1);
    return listing != null && listing.names.contains(name) ? new Choice(id, name, listing.provider) : null;
  }

  /** Whether any provider can be reached; each one's answer, for /health. */
  Future<JsonObject> ping() {
    Map<String, Future<JsonObject>> pings = new LinkedHashMap<>();
    listings.forEach((name, listing) -> pings.put(name, listing.provider.ping()));
    Promise<JsonObject> result = Promise.promise();
    Future.join(new ArrayList<>(pings.values())).onComplete(done -> {
      JsonObject report = new JsonObject();
      pings.forEach((name, ping) -> report.put(name, ping.succeeded() ? ping.result() : new JsonObject().put("reachable", false)));
      if (pings.values().stream().anyMatch(Future::succeeded)) {
        result.complete(report);
      } else {
        result.fail("no model provider can be reached");
      }
    });
    return result.future();
  }
}
