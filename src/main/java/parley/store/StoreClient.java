package parley.store;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import parley.bus.Addresses;
import parley.chat.ChatId;
import parley.chat.ChatMessage;
import parley.chat.Exchange;
import parley.chat.HistoryQuery;
import parley.chat.MessageStatus;
import parley.chat.NewMessage;
import parley.store.StoreRequests.BeginExchange;
import parley.store.StoreRequests.Checkpoint;
import parley.store.StoreRequests.DeleteChat;
import parley.store.StoreRequests.Finish;
import parley.store.StoreRequests.Interrupt;

/**
 * How the other verticles reach the persistence verticle: typed calls that travel as JSON over
 * the event bus ({@link StoreRequests}), so the store may run on this node or any other.
 */
public final class StoreClient {
  private final EventBus bus;

  public StoreClient(EventBus bus) {
    this.bus = bus;
  }

  /** The ids are made by the caller, the message's first: ids grow, so the reply sorts after it. */
  public Future<Exchange.WithHistory> beginExchange(NewMessage sent, String messageId, String replyId, int contextMessages) {
    return bus.<JsonObject>request(Addresses.STORE_BEGIN_EXCHANGE, new BeginExchange(sent, messageId, replyId, contextMessages).toJson())
        .map(reply -> StoreRequests.exchangeFromJson(reply.body()));
  }

  public Future<Void> checkpoint(String replyId, String content) {
    return bus.request(Addresses.STORE_CHECKPOINT, new Checkpoint(replyId, content).toJson()).mapEmpty();
  }

  public Future<Void> finish(String replyId, ChatId chatId, String content, MessageStatus status) {
    return bus.request(Addresses.STORE_FINISH, new Finish(replyId, chatId, content, status).toJson()).mapEmpty();
  }

  public Future<List<ChatMessage>> streamingReplies() {
    return bus.<JsonArray>request(Addresses.STORE_STREAMING, new JsonObject())
        .map(reply -> StoreRequests.messagesFromJson(reply.body()));
  }

  public Future<Void> interrupt(String replyId) {
    return bus.request(Addresses.STORE_INTERRUPT, new Interrupt(replyId).toJson()).mapEmpty();
  }

  public Future<List<ChatMessage>> history(HistoryQuery query) {
    return bus.<JsonArray>request(Addresses.HISTORY, query.toJson()).map(reply -> StoreRequests.messagesFromJson(reply.body()));
  }

  /** The chat list as JSON, ready to answer with. */
  public Future<JsonArray> chats() {
    return bus.<JsonArray>request(Addresses.CHATS, new JsonObject()).map(reply -> reply.body());
  }

  public Future<Void> deleteChat(ChatId chatId) {
    return bus.request(Addresses.STORE_DELETE_CHAT, new DeleteChat(chatId).toJson()).mapEmpty();
  }
}
