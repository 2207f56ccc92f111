package parley.chat;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One line of the chat list, with the chat's settings: {@code systemPrompt}, {@code model} and
 * {@code temperature} are null while unset (the model then is the first configured one).
 */
public record ChatSummary(ChatId chatId, String title, Instant updatedAt, long messageCount, String systemPrompt, String model,
    Double temperature, boolean pinned, boolean archived) {
  /** A title is the start of the first message, cut at a word where it can be. */
  public static final int TITLE_CHARS = 60;

  public static final String TITLE = "title";
  public static final String SYSTEM_PROMPT = "systemPrompt";
  public static final String MODEL = "model";
  public static final String TEMPERATURE = "temperature";
  public static final String PINNED = "pinned";
  public static final String ARCHIVED = "archived";

  public static String titleFrom(String firstMessage) {
    String oneLine = firstMessage.strip().replaceAll("\\s+", " ");
    if (oneLine.length() <= TITLE_CHARS) {
      return oneLine;
    }
    String cut = oneLine.substring(0, TITLE_CHARS);
    int space = cut.lastIndexOf(' ');
    return (space > TITLE_CHARS / 2 ? cut.substring(0, space) : cut) + "…";
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("chatId", chatId.value())
        .put(TITLE, title)
        .put("updatedAt", ChatMessage.timestamp(updatedAt))
        .put("messageCount", messageCount)
        .put(SYSTEM_PROMPT, systemPrompt)
        .put(MODEL, model)
        .put(TEMPERATURE, temperature)
        .put(PINNED, pinned)
        .put(ARCHIVED, archived);
  }
}
