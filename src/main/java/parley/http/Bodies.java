package parley.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import parley.chat.Rejection;

/** Reading JSON request bodies: a body or field of the wrong shape is a 400, never a 500. */
final class Bodies {
  private Bodies() {}

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
