package parley.chat;

import io.vertx.core.json.JsonObject;

/** What a person sends: validated once here, whether it came over HTTP or over the event bus. */
public record NewMessage(ChatId chatId, String content) {
  public static final int MAX_CONTENT_CHARS = 32_768;

  public NewMessage {
    if (content == null || content.isBlank()) {
      throw Rejection.badRequest("content must be a non-empty string");
    }
    if (content.length() > MAX_CONTENT_CHARS) {
      throw Rejection.badRequest("content must be at most " + MAX_CONTENT_CHARS + " characters");
    }
  }

  public static NewMessage fromJson(JsonObject body) {
    if (body == null) {
      throw Rejection.badRequest("the body must be a JSON object");
    }
    ChatId chatId = ChatId.parse(body.getValue(ChatMessage.CHAT_ID));
    Object content = body.getValue(ChatMessage.CONTENT);
    if (content == null) {
      throw Rejection.badRequest("content is required");
    }
    if (!(content instanceof String text)) {
      throw Rejection.badRequest("content must be a string");
    }
    Object sender = body.getValue(ChatMessage.SENDER);
    if (sender != null && !Sender.USER.wire().equals(sender)) {
      throw Rejection.badRequest("sender may only be \"user\" (or left out)");
    }
    return new NewMessage(chatId, text);
  }

  public JsonObject toJson() {
    return new JsonObject().put(ChatMessage.CHAT_ID, chatId.value()).put(ChatMessage.CONTENT, content);
  }
}
