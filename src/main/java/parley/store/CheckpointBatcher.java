package parley.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Gathers the checkpoints of all replies into one write at a time: the latest text of each reply
 * that changed, at most one batch in flight, the next one no sooner than {@code gapMs} after it
 * started. Under load the store thus does one bulk write per interval instead of a round trip per
 * reply, and if it is slow the batches simply grow. Confined to one event loop.
 */
final class CheckpointBatcher {
  private final Vertx vertx;
  private final long gapMs;
  private final Function<Map<String, String>, Future<Void>> write;
  private Map<String, String> pending = new LinkedHashMap<>();
  private List<Promise<Void>> waiting = new ArrayList<>();
  private boolean writing;
  private boolean scheduled;
  private long lastStart;

  CheckpointBatcher(Vertx vertx, long gapMs, Function<Map<String, String>, Future<Void>> write) {
    this.vertx = vertx;
    this.gapMs = gapMs;
    this.write = write;
  }

  /** Completes once a batch holding this text (or a later one of the same reply) is stored. */
  Future<Void> add(String replyId, String content) {
    pending.put(replyId, content);
    Promise<Void> stored = Promise.promise();
    waiting.add(stored);
    schedule();
    return stored.future();
  }

  /** Forgets the reply's text waiting for the next batch (its callers are still answered then). */
  void drop(String replyId) {
    pending.remove(replyId);
  }

  private void schedule() {
    if (writing || scheduled) {
      return;
    }
    long wait = lastStart + gapMs - System.currentTimeMillis();
    if (wait <= 0) {
      flush();
    } else {
      scheduled = true;
      vertx.setTimer(wait, id -> {
        scheduled = false;
        flush();
      });
    }
  }

  private void flush() {
    Map<String, String> batch = pending;
    List<Promise<Void>> promises = waiting;
    pending = new LinkedHashMap<>();
    waiting = new ArrayList<>();
    if (batch.isEmpty()) {
      // Nothing left to write (dropped): its callers are done.
      promises.forEach(Promise::tryComplete);
      return;
    }
    writing = true;
    lastStart = System.currentTimeMillis();
    write.apply(batch).onComplete(result -> {
      writing = false;
      promises.forEach(promise -> promise.handle(result));
      schedule();
    });
  }
}
