package parley.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import parley.chat.Rejection;

/** Reading JSON request bodies: a body or field of the wrong shape is a 400, never a 500. */
final class Bodies {
  private Bodies() {}

  /**
   * Keeps the request's body unread until a body handler reads it. Vert.x Web does not pause a
   * request on its own, so the bytes that arrive while a handler before the body handler waits (to
   * learn who is asking, say) would be lost. Whatever is still unread once the answer is out (a
   * refusal that never read it) is let through, to be dropped.
   */
  static void holdUnread(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!request.isEnded()) {
      request.pause();
      ctx.addEndHandler(done -> request.resume());
    }
    ctx.next();
  }

  static JsonObject object(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      throw Rejection.badRequest("the body is not a JSON object");
    }
    if (body == null) {
      throw Rejection.badRequest("the body must be a JSON object");
    }
    return body;
  }

  /** A required string field of at most {@code maxChars} characters. */
  static String string(JsonObject body, String field, int maxChars) {
    Object value = body.getValue(field);
    if (!(value instanceof String text)) {
      throw Rejection.badRequest(field + " must be a string");
    }
    if (text.length() > maxChars) {
      throw Rejection.badRequest(field + " must be at most " + maxChars + " characters");
    }
    return text;
  }
}
