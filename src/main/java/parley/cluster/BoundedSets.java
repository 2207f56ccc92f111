package parley.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Sets of at most {@code max} members per key, shared by the cluster: "at most N at once" holds
 * across nodes. Each member remembers the node that added it, so the members of a node that left
 * can be let go. Changed by compare-and-set on a Vert.x shared map, with no lock.
 */
public final class BoundedSets {
  private final Vertx vertx;
  private final String mapName;
  private final int max;

  public BoundedSets(Vertx vertx, String mapName, int max) {
    this.vertx = vertx;
    this.mapName = mapName;
    this.max = max;
  }

  /** Adds the member unless the key's set is full: true when added. */
  public Future<Boolean> tryAdd(String key, String member, String nodeId) {
    return map().compose(map -> tryAdd(map, key, member, nodeId));
  }

  public Future<Void> remove(String key, String member) {
    return map().compose(map -> change(map, key, set -> {
      set.remove(member);
      return set;
    }));
  }

  /** Lets go every member that the node added: it has left the cluster. */
  public Future<Void> removeNode(String nodeId) {
    return map().compose(map -> map.keys().compose(keys -> {
      List<Future<Void>> changes = new ArrayList<>();
      for (String key : keys) {
        changes.add(change(map, key, set -> {
          set.getMap().values().removeIf(nodeId::equals);
          return set;
        }));
      }
      return Future.join(changes).mapEmpty();
    }));
  }

  private Future<Boolean> tryAdd(AsyncMap<String, String> map, String key, String member, String nodeId) {
    return map.get(key).compose(previous -> {
      JsonObject set = previous == null ? new JsonObject() : new JsonObject(previous);
      if (set.containsKey(member)) {
        return Future.succeededFuture(true);
      }
      if (set.size() >= max) {
        return Future.succeededFuture(false);
      }
      set.put(member, nodeId);
      return swap(map, key, previous, set).compose(swapped -> swapped ? Future.succeededFuture(true) : tryAdd(map, key, member, nodeId));
    });
  }

  private Future<Void> change(AsyncMap<String, String> map, String key, UnaryOperator<JsonObject> edit) {
    return map.get(key).compose(previous -> {
      if (previous == null) {
        return Future.succeededFuture();
      }
      JsonObject set = edit.apply(new JsonObject(previous));
      return swap(map, key, previous, set).compose(swapped -> swapped ? Future.succeededFuture() : change(map, key, edit));
    });
  }

  private Future<Boolean> swap(AsyncMap<String, String> map, String key, String previous, JsonObject set) {
    if (previous == null) {
      return map.putIfAbsent(key, set.encode()).map(existing -> existing == null);
    }
    return set.isEmpty() ? map.removeIfPresent(key, previous) : map.replaceIfPresent(key, previous, set.encode());
  }

  private Future<AsyncMap<String, String>> map() {
    return vertx.sharedData().getAsyncMap(mapName);
  }
}
