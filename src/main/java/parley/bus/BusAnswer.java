package parley.bus;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import java.util.function.Function;
import org.slf4j.Logger;
import parley.chat.Rejection;

/**
 * Answers an event-bus request with the outcome of an operation. A refusal travels as
 * {@link Failures} says, whether the operation raised it or a request it made was refused with
 * it; any other failure is logged once here and answered as {@code unavailable}.
 */
public final class BusAnswer {
  private BusAnswer() {}

  public static <B, T> void with(Message<B> request, Function<B, Future<T>> operation, Logger log, Rejection unavailable) {
    Future<T> result;
    try {
      result = operation.apply(request.body());
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(done -> {
      if (done.succeeded()) {
        request.reply(done.result());
        return;
      }
      Rejection rejection = Failures.rejectionOf(done.cause());
      if (rejection == null) {
        log.warn("Request on {} failed", request.address(), done.cause());
        rejection = unavailable;
      }
      Failures.fail(request, rejection);
    });
  }
}
