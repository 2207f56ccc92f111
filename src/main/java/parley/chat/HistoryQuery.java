package parley.chat;

import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/** Which messages of a chat to read: all of them, or a page of {@code limit} before a message id. */
public record HistoryQuery(ChatId chatId, Integer limit, String before) {
  public static final int MAX_LIMIT = 1000;
  private static final Pattern MESSAGE_ID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

  public HistoryQuery {
    if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
      throw Rejection.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT);
    }
    if (before != null && !MESSAGE_ID.matcher(before).matches()) {
      throw Rejection.badRequest("before must be a message id");
    }
  }

  /** From the query string of {@code GET /api/messages/:chatId}. */
  public static HistoryQuery fromParams(String chatId, String limit, String before) {
    Integer parsedLimit = null;
    if (limit != null) {
      try {
        parsedLimit = Integer.valueOf(limit.trim());
      } catch (NumberFormatException e) {
        throw Rejection.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT);
      }
    }
    return new HistoryQuery(ChatId.parse(chatId), parsedLimit, before);
  }

  /** From an event-bus request: the same fields, with JSON types checked. */
  public static HistoryQuery fromJson(JsonObject json) {
    if (json == null) {
      throw Rejection.badRequest("the body must be a JSON object");
    }
    Object limit = json.getValue("limit");
    if (limit != null && !(limit instanceof Integer || limit instanceof Long)) {
      throw Rejection.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT);
    }
    Object before = json.getValue("before");
    if (before != null && !(before instanceof String)) {
      throw Rejection.badRequest("before must be a message id");
    }
    return new HistoryQuery(
        ChatId.parse(json.getValue("chatId")),
        limit == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, ((Number) limit).longValue())),
        (String) before);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("chatId", chatId.value());
    if (limit != null) {
      json.put("limit", limit);
    }
    if (before != null) {
      json.put("before", before);
    }
    return json;
  }
}
