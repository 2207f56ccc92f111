package parley.chat;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The answer to a sent message: the stored user message and the bot reply that has just begun. A
 * regenerated reply has no new user message: {@code message} is null.
 */
public record Exchange(ChatMessage message, ChatMessage reply) {
  public static final String MESSAGE = "message";
  public static final String REPLY = "reply";

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(REPLY, reply.toJson());
    if (message != null) {
      json.put(MESSAGE, message.toJson());
    }
    return json;
  }

  public static Exchange fromJson(JsonObject json) {
    JsonObject message = json.getJsonObject(MESSAGE);
    return new Exchange(message == null ? null : ChatMessage.fromJson(message), ChatMessage.fromJson(json.getJsonObject(REPLY)));
  }

  /**
   * An exchange together with the messages before it on its path, which the model gets as context
   * (the conversation the reply answers), and the chat's settings as they were when it was written.
   */
  public record WithHistory(Exchange exchange, List<ChatMessage> history, ChatSettings settings) {
    public List<ChatMessage> conversation() {
      if (exchange.message() == null) {
        return history;
      }
      List<ChatMessage> conversation = new java.util.ArrayList<>(history);
      conversation.add(exchange.message());
      return conversation;
    }
  }
}
