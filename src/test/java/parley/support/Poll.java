package parley.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Asks again every 50 ms until the answer satisfies the condition, for things with no event to wait on. */
public final class Poll {
  private Poll() {}

  public static <T> Future<T> until(Vertx vertx, Supplier<Future<T>> ask, Predicate<T> condition, long timeoutMs) {
    Promise<T> result = Promise.promise();
    once(vertx, ask, condition, System.currentTimeMillis() + timeoutMs, result);
    return result.future();
  }

  private static <T> void once(Vertx vertx, Supplier<Future<T>> ask, Predicate<T> condition, long deadline, Promise<T> result) {
    ask.get().onComplete(answer -> {
      if (answer.succeeded() && condition.test(answer.result())) {
        result.complete(answer.result());
      } else if (System.currentTimeMillis() > deadline) {
        result.fail(new AssertionError("condition not met in time; last answer: " + (answer.succeeded() ? answer.result() : answer.cause())));
      } else {
        vertx.setTimer(50, id -> once(vertx, ask, condition, deadline, result));
      }
    });
  }
}
