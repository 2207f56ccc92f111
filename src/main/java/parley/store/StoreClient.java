package parley.store;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import parley.bus.Addresses;
import parley.chat.ChatId;
import parley.chat.ChatMessage;
import parley.chat.ChatSummary;
import parley.chat.Exchange;
import parley.chat.HistoryQuery;
import parley.chat.MessageStatus;
import parley.chat.NewMessage;

/**
 * How the other verticles reach the persistence verticle: typed calls that travel as JSON over
 * the event bus, so the store may run on this node or any other.
 */
public final class StoreClient {
  static final String MESSAGE_ID = "messageId";
  static final String REPLY_ID = "replyId";
  static final String CHAT_ID = "chatId";
  static final String CONTENT = "content";
  static final String STATUS = "status";
  static final String CONTEXT_MESSAGES = "contextMessages";
  static final String HISTORY = "history";

  private final EventBus bus;

  public StoreClient(EventBus bus) {
    this.bus = bus;
  }

  /** The ids are made by the caller, the message's first: ids grow, so the reply sorts after it. */
  public Future<Exchange.WithHistory> beginExchange(NewMessage sent, String messageId, String replyId, int contextMessages) {
    JsonObject request = sent.toJson().put(MESSAGE_ID, messageId).put(REPLY_ID, replyId).put(CONTEXT_MESSAGES, contextMessages);
    return bus.<JsonObject>request(Addresses.STORE_BEGIN_EXCHANGE, request).map(reply -> {
      JsonObject body = reply.body();
      return new Exchange.WithHistory(Exchange.fromJson(body), messages(body.getJsonArray(HISTORY)));
    });
  }

  public Future<Void> checkpoint(String replyId, String content) {
    return bus.request(Addresses.STORE_CHECKPOINT, new JsonObject().put(REPLY_ID, replyId).put(CONTENT, content)).mapEmpty();
  }

  public Future<Void> finish(String replyId, ChatId chatId, String content, MessageStatus status) {
    JsonObject request = new JsonObject()
        .put(REPLY_ID, replyId)
        .put(CHAT_ID, chatId.value())
        .put(CONTENT, content)
        .put(STATUS, status.wire());
    return bus.request(Addresses.STORE_FINISH, request).mapEmpty();
  }

  public Future<List<ChatMessage>> streamingReplies() {
    return bus.<JsonArray>request(Addresses.STORE_STREAMING, new JsonObject()).map(reply -> messages(reply.body()));
  }

  public Future<Void> interrupt(String replyId) {
    return bus.request(Addresses.STORE_INTERRUPT, new JsonObject().put(REPLY_ID, replyId)).mapEmpty();
  }

  public Future<List<ChatMessage>> history(HistoryQuery query) {
    return bus.<JsonArray>request(Addresses.HISTORY, query.toJson()).map(reply -> messages(reply.body()));
  }

  /** The chat list as JSON, ready to answer with. */
  public Future<JsonArray> chats() {
    return bus.<JsonArray>request(Addresses.CHATS, new JsonObject()).map(reply -> reply.body());
  }

  public Future<Void> deleteChat(ChatId chatId) {
    return bus.request(Addresses.STORE_DELETE_CHAT, new JsonObject().put(CHAT_ID, chatId.value())).mapEmpty();
  }

  static JsonArray toJson(List<ChatMessage> messages) {
    JsonArray array = new JsonArray();
    messages.forEach(message -> array.add(message.toJson()));
    return array;
  }

  static JsonArray chatsToJson(List<ChatSummary> chats) {
    JsonArray array = new JsonArray();
    chats.forEach(chat -> array.add(chat.toJson()));
    return array;
  }

  private static List<ChatMessage> messages(JsonArray array) {
    return array.stream().map(item -> ChatMessage.fromJson((JsonObject) item)).toList();
  }
}
