package parley.chat;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * Answers an event-bus request with the outcome of an operation. A {@link Rejection} keeps its
 * status as the failure code; any other failure is logged once here and answered as 503.
 */
public final class BusAnswer {
  private BusAnswer() {}

  public static <B, T> void with(Message<B> request, Function<B, Future<T>> operation, Logger log, String unavailable) {
    Future<T> result;
    try {
      result = operation.apply(request.body());
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(done -> {
      if (done.succeeded()) {
        request.reply(done.result());
      } else if (done.cause() instanceof Rejection rejection) {
        request.fail(rejection.status(), rejection.getMessage());
      } else if (done.cause() instanceof ReplyException replied && replied.failureCode() > 0) {
        request.fail(replied.failureCode(), replied.getMessage());
      } else {
        log.warn("Request on {} failed", request.address(), done.cause());
        request.fail(Rejection.UNAVAILABLE, unavailable);
      }
    });
  }
}
