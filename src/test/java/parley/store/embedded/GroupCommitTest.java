package parley.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Callers who ask for a commit while one runs share the next one; a failed commit fails its callers. */
@ExtendWith(VertxExtension.class)
class GroupCommitTest {

  @Test
  void callersArrivingDuringACommitShareTheNextOne(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger commits = new AtomicInteger();
    CountDownLatch othersArrived = new CountDownLatch(1);
    // The first commit holds until the other two callers have arrived: they must wait for the next one.
    Runnable commit = () -> {
      if (commits.incrementAndGet() == 1) {
        awaitQuietly(othersArrived);
      }
    };
    vertx.runOnContext(start -> {
      GroupCommit group = new GroupCommit(vertx, commit);
      Future<Void> first = group.flush();
      Future<Void> second = group.flush();
      Future<Void> third = group.flush();
      othersArrived.countDown();
      Future.all(first, second, third)
          .compose(v -> {
            ctx.verify(() -> assertThat(commits).hasValue(2));
            return group.flush();
          })
          .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
            assertThat(commits).hasValue(3);
            ctx.completeNow();
          })));
    });
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }


  @Test
  void aFailedCommitFailsItsCallersAndTheNextOneRunsAfresh(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger commits = new AtomicInteger();
    vertx.runOnContext(start -> {
      GroupCommit group = new GroupCommit(vertx, () -> {
        if (commits.incrementAndGet() == 1) {
          throw new IllegalStateException("disk full");
        }
      });
      group.flush()
          .transform(failed -> {
            ctx.verify(() -> assertThat(failed.cause()).hasMessage("disk full"));
            return group.flush();
          })
          .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
            assertThat(commits).hasValue(2);
            ctx.completeNow();
          })));
    });
  }
}
