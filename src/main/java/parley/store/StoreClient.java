package parley.store;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import parley.bus.Addresses;
import parley.chat.ChatId;
import parley.chat.ChatMessage;
import parley.chat.ChatPatch;
import parley.chat.ChatSettings;
import parley.chat.ChatSummary;
import parley.chat.Exchange;
import parley.chat.HistoryQuery;
import parley.chat.MessageStatus;
import parley.chat.NewMessage;
import parley.chat.ReplyModel;
import parley.chat.SearchHit;
import parley.chat.SearchQuery;
import parley.chat.TokenUsage;
import parley.transfer.ChatExport;
import parley.transfer.ImportedChat;
import parley.store.StoreRequests.BeginExchange;
import parley.store.StoreRequests.BeginRegeneration;
import parley.store.StoreRequests.ChatOwner;
import parley.store.StoreRequests.Checkpoint;
import parley.store.StoreRequests.DeleteChat;
import parley.store.StoreRequests.ExportChat;
import parley.store.StoreRequests.ImportChats;
import parley.store.StoreRequests.FindMessage;
import parley.store.StoreRequests.Finish;
import parley.store.StoreRequests.Interrupt;
import parley.store.StoreRequests.PatchChat;
import parley.store.StoreRequests.ReplyModelChange;

/**
 * How the other verticles reach the persistence verticle: typed calls that travel as JSON over
 * the event bus ({@link StoreRequests}), so the store may run on this node or any other.
 */
public final class StoreClient {
  /**
   * An import of the largest file writes a hundred thousand messages, and a chat may hold as many
   * to export: 10 to 22 s on the embedded store of a busy 2-core machine, far longer than any other
   * store request may take.
   */
  private static final long TRANSFER_TIMEOUT_MS = 180_000;

  private final EventBus bus;

  public StoreClient(EventBus bus) {
    this.bus = bus;
  }

  /** The ids are made by the caller, the message's first: ids grow, so the reply sorts after it. */
  public Future<Exchange.WithHistory> beginExchange(NewMessage sent, String ownerId, String messageId, String replyId,
      ReplyModel model, int contextMaxChars) {
    BeginExchange request = new BeginExchange(sent, ownerId, messageId, replyId, model, contextMaxChars);
    return bus.<JsonObject>request(Addresses.STORE_BEGIN_EXCHANGE, request.toJson())
        .map(reply -> StoreRequests.exchangeFromJson(reply.body()));
  }

  /** A new version of the owner's reply {@code replyToRedo}, beside it; someone else's is {@code not_found}. */
  public Future<Exchange.WithHistory> beginRegeneration(ChatId chatId, String ownerId, String replyToRedo, String replyId,
      String model, int contextMaxChars) {
    BeginRegeneration request = new BeginRegeneration(chatId, ownerId, replyToRedo, replyId, model, contextMaxChars);
    return bus.<JsonObject>request(Addresses.STORE_BEGIN_REGENERATION, request.toJson())
        .map(reply -> StoreRequests.exchangeFromJson(reply.body()));
  }

  /** The message with this id, whoever's it is, or null: the caller checks whose. */
  public Future<ChatMessage> message(String messageId) {
    return bus.<JsonObject>request(Addresses.STORE_MESSAGE, new FindMessage(messageId).toJson())
        .map(reply -> StoreRequests.messageFromJson(reply.body()));
  }

  /** The owner's streaming reply, and their chat if its model is still {@code gone}, are answered by {@code model} after all. */
  public Future<Void> replyModel(ChatId chatId, String ownerId, String replyId, String gone, String model) {
    return bus.request(Addresses.STORE_REPLY_MODEL, new ReplyModelChange(chatId, ownerId, replyId, gone, model).toJson()).mapEmpty();
  }

  /** The chat's owner and settings; {@link ChatSettings#NONE} for no such chat. */
  public Future<ChatSettings> settings(ChatId chatId) {
    return bus.<JsonObject>request(Addresses.STORE_CHAT_SETTINGS, new StoreRequests.ChatOwner(chatId).toJson())
        .map(reply -> StoreRequests.settingsFromJson(reply.body()));
  }

  /** Changes the user's chat (making it if new); answers its line of the chat list, as JSON. */
  public Future<JsonObject> patchChat(ChatId chatId, String userId, ChatPatch patch) {
    return bus.<JsonObject>request(Addresses.STORE_PATCH_CHAT, new PatchChat(chatId, userId, patch).toJson()).map(Message::body);
  }

  /** True once for a chat a model may name now. */
  public Future<Boolean> claimTitle(ChatId chatId) {
    return bus.<JsonObject>request(Addresses.STORE_CLAIM_TITLE, StoreRequests.titleToJson(chatId, null))
        .map(reply -> StoreRequests.claimedFromJson(reply.body()));
  }

  /** Ends a claimed naming; null: the model failed, the title stays. */
  public Future<Void> titled(ChatId chatId, String title) {
    return bus.request(Addresses.STORE_TITLED, StoreRequests.titleToJson(chatId, title)).mapEmpty();
  }

  public Future<Void> checkpoint(String replyId, String content) {
    return bus.request(Addresses.STORE_CHECKPOINT, new Checkpoint(replyId, content).toJson()).mapEmpty();
  }

  public Future<Void> finish(String replyId, ChatId chatId, String ownerId, String content, MessageStatus status, TokenUsage usage) {
    return bus.request(Addresses.STORE_FINISH, new Finish(replyId, chatId, ownerId, content, status, usage).toJson()).mapEmpty();
  }

  public Future<List<ChatMessage>> streamingReplies() {
    return bus.<JsonArray>request(Addresses.STORE_STREAMING, new JsonObject())
        .map(reply -> StoreRequests.messagesFromJson(reply.body()));
  }

  public Future<Void> interrupt(String replyId) {
    return bus.request(Addresses.STORE_INTERRUPT, new Interrupt(replyId).toJson()).mapEmpty();
  }

  /** The user's chat; nothing for someone else's. */
  public Future<List<ChatMessage>> history(HistoryQuery query, String userId) {
    return bus.<JsonArray>request(Addresses.HISTORY, query.toJson(), asUser(userId))
        .map(reply -> StoreRequests.messagesFromJson(reply.body()));
  }

  /** The user's chat list as JSON, ready to answer with; archived chats only when asked for. */
  public Future<JsonArray> chats(String userId, boolean withArchived) {
    return bus.<JsonArray>request(Addresses.CHATS, StoreRequests.chatListRequest(withArchived), asUser(userId)).map(Message::body);
  }

  public Future<Void> deleteChat(ChatId chatId, String userId) {
    return bus.request(Addresses.STORE_DELETE_CHAT, new DeleteChat(chatId, userId).toJson()).mapEmpty();
  }

  /** The id of the user whose chat it is, or null for no such chat. */
  public Future<String> ownerOf(ChatId chatId) {
    return bus.<JsonObject>request(Addresses.STORE_CHAT_OWNER, new ChatOwner(chatId).toJson())
        .map(reply -> StoreRequests.ownerFromJson(reply.body()));
  }

  /** The user's messages (and chats by title) that match, best first. */
  public Future<List<SearchHit>> search(SearchQuery query, String userId) {
    return bus.<JsonArray>request(Addresses.STORE_SEARCH, new StoreRequests.Search(query, userId).toJson())
        .map(reply -> StoreRequests.hitsFromJson(reply.body()));
  }

  /** The user's chat whole, for an export; {@code not_found} for someone else's, or none. */
  public Future<ChatExport> exportChat(ChatId chatId, String userId) {
    return bus.<JsonObject>request(Addresses.STORE_EXPORT_CHAT, new ExportChat(chatId, userId).toJson(),
            new DeliveryOptions().setSendTimeout(TRANSFER_TIMEOUT_MS))
        .map(reply -> StoreRequests.exportFromJson(reply.body()));
  }

  /** Stores the chats as the user's, all or nothing; answers their lines of the chat list, as JSON. */
  public Future<JsonArray> importChats(String userId, List<ImportedChat> chats) {
    return bus.<JsonArray>request(Addresses.STORE_IMPORT_CHATS, new ImportChats(userId, chats).toJson(),
        new DeliveryOptions().setSendTimeout(TRANSFER_TIMEOUT_MS)).map(Message::body);
  }

  private static DeliveryOptions asUser(String userId) {
    return new DeliveryOptions().addHeader(Addresses.USER_HEADER, userId);
  }
}
