package parley.store.embedded;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Group commit for one event loop: each caller's future completes after a commit that started
 * after its call, and callers who arrive while a commit runs share the following one. The commit
 * itself blocks and runs off the event loop, one at a time.
 */
final class GroupCommit {
  private final Vertx vertx;
  private final Runnable commit;
  private Promise<Void> waiting;
  private boolean committing;

  GroupCommit(Vertx vertx, Runnable commit) {
    this.vertx = vertx;
    this.commit = commit;
  }

  /** Completes once everything written before this call is committed. */
  Future<Void> flush() {
    if (waiting == null) {
      waiting = Promise.promise();
    }
    Future<Void> done = waiting.future();
    if (!committing) {
      commitWaiting();
    }
    return done;
  }

  private void commitWaiting() {
    Promise<Void> batch = waiting;
    waiting = null;
    committing = true;
    // Unordered: this logic already runs one commit at a time, and a commit must not queue
    // behind the caller's other blocking work (a checkpoint journal append, say).
    vertx.<Void>executeBlocking(() -> {
      commit.run();
      return null;
    }, false).onComplete(result -> {
      committing = false;
      batch.handle(result);
      if (waiting != null) {
        commitWaiting();
      }
    });
  }
}
