package parley.chat;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** One line of the chat list. */
public record ChatSummary(ChatId chatId, String title, Instant updatedAt, long messageCount) {
  /** A title is the start of the first message, cut at a word where it can be. */
  public static final int TITLE_CHARS = 60;

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
        .put("title", title)
        .put("updatedAt", ChatMessage.timestamp(updatedAt))
        .put("messageCount", messageCount);
  }
}
