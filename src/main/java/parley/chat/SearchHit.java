package parley.chat;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One result of a search: the message found (for a chat found by its title alone, the chat's
 * first message), its chat's title, and a snippet: an excerpt, HTML-escaped, whose matched words
 * and phrases are wrapped in {@code <mark>}…{@code </mark>}, and nothing else markup.
 */
public record SearchHit(ChatId chatId, String messageId, String title, String snippet, Instant createdAt) {
  public JsonObject toJson() {
    return new JsonObject()
        .put(ChatMessage.CHAT_ID, chatId.value())
        .put("messageId", messageId)
        .put(ChatSummary.TITLE, title)
        .put("snippet", snippet)
        .put(ChatMessage.CREATED_AT, ChatMessage.timestamp(createdAt));
  }

  public static SearchHit fromJson(JsonObject json) {
    return new SearchHit(new ChatId(json.getString(ChatMessage.CHAT_ID)), json.getString("messageId"),
        json.getString(ChatSummary.TITLE), json.getString("snippet"), Instant.parse(json.getString(ChatMessage.CREATED_AT)));
  }
}
