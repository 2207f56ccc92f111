package parley.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.shareddata.AsyncMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Counts events per key within a sliding window, shared by the whole cluster: "at most N in any
 * minute" holds however many nodes take the events. Each key's recent event times live in one
 * entry of a Vert.x shared map (cluster-wide on a clustered node), changed by compare-and-set, so
 * no lock is taken. An entry keeps only the events still in the window: one small entry per key.
 */
public final class SlidingWindow {
  private final Vertx vertx;
  private final String mapName;
  private final int limit;
  private final long windowMs;
  private final LongSupplier clock;

  public SlidingWindow(Vertx vertx, String mapName, int limit, long windowMs, LongSupplier clock) {
    this.vertx = vertx;
    this.mapName = mapName;
    this.limit = limit;
    this.windowMs = windowMs;
    this.clock = clock;
  }

  /**
   * The outcome of {@link #tryRecord}: admitted (and recorded at {@code recordedAt}), or refused
   * with the seconds until one of the window's events ages out.
   */
  public record Verdict(boolean admitted, long waitSeconds, long recordedAt) {}

  /** Records an event for the key unless it already has {@code limit} in the window. */
  public Future<Verdict> tryRecord(String key) {
    return map().compose(map -> tryRecord(map, key));
  }

  /** Takes back the event recorded at {@code time} (the thing it admitted did not happen). */
  public Future<Void> forget(String key, long time) {
    return map().compose(map -> change(map, key, times -> times.remove(Long.valueOf(time))));
  }

  private Future<Verdict> tryRecord(AsyncMap<String, String> map, String key) {
    return map.get(key).compose(previous -> {
      JsonArray times = recent(previous);
      long wait = waitSeconds(times);
      if (wait > 0) {
        return Future.succeededFuture(new Verdict(false, wait, 0));
      }
      long now = clock.getAsLong();
      times.add(now);
      return swap(map, key, previous, times)
          .compose(swapped -> swapped ? Future.succeededFuture(new Verdict(true, 0, now)) : tryRecord(map, key));
    });
  }

  private Future<Void> change(AsyncMap<String, String> map, String key, Consumer<JsonArray> edit) {
    return map.get(key).compose(previous -> {
      JsonArray times = recent(previous);
      edit.accept(times);
      return swap(map, key, previous, times).compose(swapped -> swapped ? Future.succeededFuture() : change(map, key, edit));
    });
  }

  private Future<Boolean> swap(AsyncMap<String, String> map, String key, String previous, JsonArray times) {
    String next = times.encode();
    if (previous == null) {
      return map.putIfAbsent(key, next).map(existing -> existing == null);
    }
    return map.replaceIfPresent(key, previous, next);
  }

  private long waitSeconds(JsonArray times) {
    if (times.size() < limit) {
      return 0;
    }
    long oldest = times.getLong(times.size() - limit);
    long waitMs = oldest + windowMs - clock.getAsLong();
    return Math.max(1, (waitMs + 999) / 1000);
  }

  private JsonArray recent(String encoded) {
    JsonArray recent = new JsonArray();
    if (encoded == null) {
      return recent;
    }
    long since = clock.getAsLong() - windowMs;
    for (Object time : new JsonArray(encoded)) {
      if (((Number) time).longValue() > since) {
        recent.add(time);
      }
    }
    return recent;
  }

  private Future<AsyncMap<String, String>> map() {
    return vertx.sharedData().getAsyncMap(mapName);
  }
}
