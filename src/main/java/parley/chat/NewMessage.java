package parley.chat;

import io.vertx.core.json.JsonObject;

/**
 * What a person sends: validated once here, whether it came over HTTP or over the event bus.
 *
 * @param parent where the message goes in the chat's tree; null: after the chat's most recent message
 * @param model the model id asked for; null: the chat's own
 */
public record NewMessage(ChatId chatId, String content, Parent parent, String model) {
  public static final int MAX_CONTENT_CHARS = 32_768;

  /** The message a new one follows: {@link #ROOT} for a new first message (editing the chat's first). */
  public record Parent(String id) {
    public static final Parent ROOT = new Parent(null);

    public Parent {
      if (id != null && !MessageIds.isWellFormed(id)) {
        throw Rejection.badRequest("parentId must be a message id or null");
      }
    }
  }

  public NewMessage {
    if (content == null || content.isBlank()) {
      throw Rejection.badRequest("content must be a non-empty string");
    }
    // Characters as people count them: an emoji is one, though Java holds it in two chars.
    if (content.length() > MAX_CONTENT_CHARS && content.codePointCount(0, content.length()) > MAX_CONTENT_CHARS) {
      throw Rejection.badRequest("content must be at most " + MAX_CONTENT_CHARS + " characters");
    }
  }

  public NewMessage(ChatId chatId, String content) {
    this(chatId, content, null, null);
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
    // Left out, or "user": an explicit null is neither.
    if (body.containsKey(ChatMessage.SENDER) && !Sender.USER.wire().equals(body.getValue(ChatMessage.SENDER))) {
      throw Rejection.badRequest("sender may only be \"user\" (or left out)");
    }
    Parent parent = null;
    if (body.containsKey(ChatMessage.PARENT_ID)) {
      Object parentId = body.getValue(ChatMessage.PARENT_ID);
      if (parentId != null && !(parentId instanceof String)) {
        throw Rejection.badRequest("parentId must be a message id or null");
      }
      parent = parentId == null ? Parent.ROOT : new Parent((String) parentId);
    }
    return new NewMessage(chatId, text, parent, ModelIds.optional(body.getValue(ChatMessage.MODEL)));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(ChatMessage.CHAT_ID, chatId.value()).put(ChatMessage.CONTENT, content);
    if (parent != null) {
      json.put(ChatMessage.PARENT_ID, parent.id());
    }
    if (model != null) {
      json.put(ChatMessage.MODEL, model);
    }
    return json;
  }
}
