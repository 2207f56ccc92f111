package parley.chat;

import io.vertx.core.json.JsonObject;

/**
 * Which messages of a chat to read: one path through its tree (to its most recent message, or
 * {@code via} a message), all of it or a page of {@code limit} before a message id.
 */
public record HistoryQuery(ChatId chatId, Integer limit, String before, String via) {
  public static final int MAX_LIMIT = 1000;

  public HistoryQuery {
    if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
      throw Rejection.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT);
    }
    if (before != null && !MessageIds.isWellFormed(before)) {
      throw Rejection.badRequest("before must be a message id");
    }
    if (via != null && !MessageIds.isWellFormed(via)) {
      throw Rejection.badRequest("via must be a message id");
    }
  }

  public HistoryQuery(ChatId chatId, Integer limit, String before) {
    this(chatId, limit, before, null);
  }

  /** From the query string of {@code GET /api/messages/:chatId}. */
  public static HistoryQuery fromParams(String chatId, String limit, String before, String via) {
    Integer parsedLimit = null;
    if (limit != null) {
      try {
        parsedLimit = Integer.valueOf(limit.trim());
      } catch (NumberFormatException e) {
        throw Rejection.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT);
      }
    }
    return new HistoryQuery(ChatId.parse(chatId), parsedLimit, before, via);
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
    Object via = json.getValue("via");
    if (via != null && !(via instanceof String)) {
      throw Rejection.badRequest("via must be a message id");
    }
    return new HistoryQuery(
        ChatId.parse(json.getValue("chatId")),
        limit == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, ((Number) limit).longValue())),
        (String) before,
        (String) via);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("chatId", chatId.value());
    if (limit != null) {
      json.put("limit", limit);
    }
    if (before != null) {
      json.put("before", before);
    }
    if (via != null) {
      json.put("via", via);
    }
    return json;
  }
}
