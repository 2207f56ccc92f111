package parley.chat;

import io.vertx.core.json.JsonObject;

/** The tokens one reply cost, as the model reported them. */
public record TokenUsage(long promptTokens, long completionTokens) {
  public static final String PROMPT_TOKENS = "promptTokens";
  public static final String COMPLETION_TOKENS = "completionTokens";

  public JsonObject toJson() {
    return new JsonObject().put(PROMPT_TOKENS, promptTokens).put(COMPLETION_TOKENS, completionTokens);
  }

  /** Null for no usage. */
  public static TokenUsage fromJson(JsonObject json) {
    return json == null ? null : new TokenUsage(json.getLong(PROMPT_TOKENS, 0L), json.getLong(COMPLETION_TOKENS, 0L));
  }
}
