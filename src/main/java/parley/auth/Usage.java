package parley.auth;

import io.vertx.core.json.JsonObject;

/** What a user's replies cost, today and this month (UTC). */
public record Usage(Count today, Count month) {
  public static final Usage NONE = new Usage(Count.ZERO, Count.ZERO);

  /** Replies finished and the tokens the model reported for them. */
  public record Count(long replies, long promptTokens, long completionTokens) {
    public static final Count ZERO = new Count(0, 0, 0);

    public long tokens() {
      return promptTokens + completionTokens;
    }

    public JsonObject toJson() {
      return new JsonObject().put("replies", replies).put("promptTokens", promptTokens).put("completionTokens", completionTokens);
    }

    public static Count fromJson(JsonObject json) {
      return json == null ? ZERO
          : new Count(json.getLong("replies", 0L), json.getLong("promptTokens", 0L), json.getLong("completionTokens", 0L));
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("today", today.toJson()).put("month", month.toJson());
  }

  public static Usage fromJson(JsonObject json) {
    return json == null ? NONE : new Usage(Count.fromJson(json.getJsonObject("today")), Count.fromJson(json.getJsonObject("month")));
  }
}
