package parley.http;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.bus.Failures;
import parley.chat.ErrorCode;
import parley.chat.Rejection;

/**
 * The one way an error is answered, for every route and for the router's own refusals:
 * {@code {"error": {"code": "…", "message": "…"}}} with the status {@link Failures} gives the code.
 */
final class ErrorAnswers {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorAnswers.class);
  private static final String BODY_LIMIT = "parley.bodyLimit";

  private final long maxBodyBytes;

  ErrorAnswers(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  /** The body limit of a route with a limit of its own, which a 413 then names. */
  static void bodyLimit(RoutingContext ctx, long bytes) {
    ctx.put(BODY_LIMIT, bytes);
  }

  /** A failure handler: whatever failed, and wherever. */
  void handle(RoutingContext ctx) {
    Rejection rejection = rejectionFor(ctx);
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      // A stream that has begun cannot turn into an error answer: the client sees it cut.
      response.reset();
      return;
    }
    if (rejection.retryAfterSeconds() > 0) {
      response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(rejection.retryAfterSeconds()));
    }
    response.setStatusCode(Failures.status(rejection.code()))
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body(rejection).encode());
  }

  static JsonObject body(Rejection rejection) {
    return new JsonObject().put("error", new JsonObject()
        .put("code", rejection.code().wire())
        .put("message", rejection.getMessage()));
  }

  private Rejection rejectionFor(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure != null) {
      Rejection carried = Failures.rejectionOf(failure);
      if (carried != null) {
        return carried;
      }
      if (failure instanceof HttpClosedException) {
        // The client went, or was let go for idling, before its request was whole: nothing failed here.
        return Rejection.badRequest("the connection closed before the request was whole");
      }
      if (failure instanceof ReplyException) {
        return new Rejection(ErrorCode.UNAVAILABLE, "the service is busy or restarting, try again shortly");
      }
      if (ctx.statusCode() < 400) {
        LOG.error("Unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
        return new Rejection(ErrorCode.INTERNAL, "internal error");
      }
    }
    // The router's own refusals: no route, no such method, body or content type refused.
    return switch (ctx.statusCode()) {
      case 404 -> new Rejection(ErrorCode.NOT_FOUND, "no such resource: " + ctx.request().method() + " " + ctx.request().path());
      case 405 -> new Rejection(ErrorCode.METHOD_NOT_ALLOWED, "method " + ctx.request().method() + " is not allowed here");
      case 413 -> new Rejection(ErrorCode.TOO_LARGE, "the body is too large: at most "
          + (ctx.get(BODY_LIMIT) instanceof Long routeLimit ? routeLimit : maxBodyBytes) + " bytes");
      case 415 -> new Rejection(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send the body as Content-Type: application/json");
      case 400 -> Rejection.badRequest("the request is malformed");
      default -> new Rejection(ErrorCode.INTERNAL, "request failed");
    };
  }
}
