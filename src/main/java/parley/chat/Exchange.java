package parley.chat;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** The answer to a sent message: the stored user message and the bot reply that has just begun. */
public record Exchange(ChatMessage message, ChatMessage reply) {
  public static final String MESSAGE = "message";
  public static final String REPLY = "reply";

  public JsonObject toJson() {
    return new JsonObject().put(MESSAGE, message.toJson()).put(REPLY, reply.toJson());
  }

  public static Exchange fromJson(JsonObject json) {
    return new Exchange(
        ChatMessage.fromJson(json.getJsonObject(MESSAGE)), ChatMessage.fromJson(json.getJsonObject(REPLY)));
  }

  /** An exchange together with the messages before it, which the model gets as context. */
  public record WithHistory(Exchange exchange, List<ChatMessage> history) {}
}
